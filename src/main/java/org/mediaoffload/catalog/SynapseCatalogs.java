package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import org.mediaoffload.audit.AuditCatalog;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.pipeline.CatalogException;
import org.mediaoffload.pipeline.MediaCatalog;

/** Opens Synapse's media tables read-only, on PostgreSQL or SQLite. */
public final class SynapseCatalogs {

    /** Rows per keyset page when the configuration gives no usable fetch size. */
    static final int DEFAULT_PAGE_SIZE = 1000;

    private SynapseCatalogs() {}

    /**
     * Connects, checks that the database holds Synapse's media tables, and returns a catalog that keeps one
     * read-only connection (reopened when it breaks).
     *
     * @throws CatalogException when the database cannot be reached, refuses the login, or is not Synapse's
     *                          main database; the message names the server or file and what to check
     */
    public static MediaCatalog open(DatabaseConfig config) {
        Opened opened = connect(config);
        return new JdbcMediaCatalog(opened.session(), opened.dialect(), opened.pageSize());
    }

    /**
     * As {@link #open}, for the audit: every media and thumbnail row, and point re-reads.
     *
     * @throws CatalogException as {@link #open}
     */
    public static AuditCatalog openForAudit(DatabaseConfig config) {
        Opened opened = connect(config);
        try {
            return new JdbcAuditCatalog(opened.session(), opened.dialect(), opened.pageSize());
        } catch (RuntimeException e) {
            opened.session().close();
            throw e;
        }
    }

    private record Opened(CatalogSession session, CatalogDialect dialect, int pageSize) {}

    private static Opened connect(DatabaseConfig config) {
        requireNonNull(config, "config is null");
        ConnectionSource source;
        CatalogDialect dialect;
        switch (config.type()) {
            case POSTGRES -> {
                source = new PostgresConnectionSource(PostgresTarget.from(config), config.statementTimeout());
                dialect = new PostgresDialect();
            }
            case SQLITE -> {
                source = new SqliteConnectionSource(config);
                dialect = new SqliteDialect();
            }
            default -> throw new IllegalArgumentException("unknown database type " + config.type());
        }
        int pageSize = config.fetchSize() > 0 ? config.fetchSize() : DEFAULT_PAGE_SIZE;
        CatalogSession session = new CatalogSession(source);
        try {
            new SchemaCheck(source.describe()).verify(session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return new Opened(session, dialect, pageSize);
    }
}

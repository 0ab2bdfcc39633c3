package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import org.mediaoffload.audit.AuditCatalog;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.pipeline.CatalogException;
import org.mediaoffload.pipeline.MediaCatalog;

/** Opens Synapse's media tables read-only, on PostgreSQL or SQLite. */
public final class SynapseCatalogs {

    /** Rows per page of the audit's keyset scan when the configuration gives no usable fetch size. */
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
        return new JdbcMediaCatalog(opened.session(), opened.dialect());
    }

    /**
     * As {@link #open}, for the audit: every media and thumbnail row, and point re-reads.
     *
     * @throws CatalogException as {@link #open}
     */
    public static AuditCatalog openForAudit(DatabaseConfig config) {
        Opened opened = connect(config);
        try {
            return new JdbcAuditCatalog(opened.session(), opened.dialect(), opened.columns(), opened.pageSize());
        } catch (RuntimeException e) {
            opened.session().close();
            throw e;
        }
    }

    private record Opened(CatalogSession session, CatalogDialect dialect, MediaRows columns, int pageSize) {}

    private static Opened connect(DatabaseConfig config) {
        requireNonNull(config, "config is null");
        ConnectionSource source = switch (config.type()) {
            case POSTGRES -> new PostgresConnectionSource(PostgresTarget.from(config), config.statementTimeout());
            case SQLITE -> new SqliteConnectionSource(config);
        };
        int pageSize = config.fetchSize() > 0 ? config.fetchSize() : DEFAULT_PAGE_SIZE;
        CatalogSession session = new CatalogSession(source);
        MediaRows columns;
        try {
            // Detected once per catalog: every query that makes a MediaRow then selects sha256 when it exists.
            columns = new SchemaCheck(source.describe()).verify(session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        CatalogDialect dialect = switch (config.type()) {
            case POSTGRES -> new PostgresDialect(columns);
            case SQLITE -> new SqliteDialect(columns);
        };
        return new Opened(session, dialect, columns, pageSize);
    }
}

package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.mediaoffload.pipeline.CatalogException;

/** Refuses a database that lacks the media tables or columns we read, before a run relies on them. */
final class SchemaCheck {

    private static final String[][] PROBES = {
        {"local_media_repository", "media_id, media_length, created_ts, last_access_ts, quarantined_by, url_cache"},
        {"remote_media_cache",
            "media_origin, media_id, filesystem_id, media_length, created_ts, last_access_ts, quarantined_by"},
    };

    private final String where;

    SchemaCheck(String where) {
        this.where = requireNonNull(where, "where is null");
    }

    /**
     * @return the columns to select: with Synapse's {@code sha256} when both media tables have it (Synapse 1.128+;
     *         one schema delta adds it to both)
     */
    MediaRows verify(CatalogSession session) {
        Optional<String> problem = session.inTransaction(this::firstProblem);
        if (problem.isPresent()) {
            throw new CatalogException(where + " is not Synapse's main database: " + problem.get()
                    + ". Point offload.database at the database in Synapse's homeserver.yaml"
                    + " (the entry of databases: that holds the main data store).", null);
        }
        // A transaction of its own: on PostgreSQL a failed statement aborts the transaction it ran in.
        return new MediaRows(session.inTransaction(SchemaCheck::hasSha256));
    }

    private static boolean hasSha256(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.executeQuery("SELECT sha256 FROM local_media_repository WHERE 1 = 0").close();
            st.executeQuery("SELECT sha256 FROM remote_media_cache WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            // Only a missing column means an older Synapse: any other failure (a lost connection, a lock) must not
            // silently turn the content check off, so it fails the open like any other query.
            if (isMissingColumn(e)) {
                return false;
            }
            throw e;
        }
    }

    private Optional<String> firstProblem(Connection connection) throws SQLException {
        for (String[] probe : PROBES) {
            try (Statement st = connection.createStatement()) {
                st.executeQuery("SELECT " + probe[1] + " FROM " + probe[0] + " WHERE 1 = 0").close();
            } catch (SQLException e) {
                if (isConnectionLost(e) || ConnectFailure.isTimeout(e)) {
                    throw e;
                }
                if (ConnectFailure.isSqliteLocked(e)) {
                    throw ConnectFailure.sqliteLocked(where, e);
                }
                if ("42501".equals(e.getSQLState())) {
                    throw new CatalogException(where + " refuses to let us read " + probe[0] + " ("
                            + ConnectFailure.summary(e) + "). Grant read access, e.g. GRANT SELECT ON"
                            + " local_media_repository, remote_media_cache TO <offload.database.user>.", null);
                }
                return Optional.of("table " + probe[0] + " with columns " + probe[1] + " cannot be read ("
                        + ConnectFailure.summary(e) + ")");
            }
        }
        return Optional.empty();
    }

    /** PostgreSQL's undefined_column; SQLite has no state for it, only its message. */
    private static boolean isMissingColumn(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return "42703".equals(e.getSQLState()) || message.contains("no such column");
    }

    private static boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }
}

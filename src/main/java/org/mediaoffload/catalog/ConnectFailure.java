package org.mediaoffload.catalog;

import java.sql.SQLException;
import java.util.Optional;
import org.mediaoffload.pipeline.CatalogException;

/** Turns a driver's connect error into a message that says where and what to check, without the password. */
final class ConnectFailure {

    private ConnectFailure() {}

    static CatalogException postgres(PostgresTarget target, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = Redaction.scrub(e.getMessage(), target.password());
        String where = target.description();
        String message;
        if (state.startsWith("28")) {
            message = "Could not log in to " + where + ": " + reason
                    + ". Check offload.database.user and offload.database.password (or password-file).";
        } else if (state.equals("3D000")) {
            message = where + " does not exist: " + reason
                    + ". Check offload.database.name (dbname in database.yaml) or offload.database.url.";
        } else if (state.startsWith("08") || state.isEmpty()) {
            message = "Cannot connect to " + where + ": " + reason
                    + ". Check that PostgreSQL is running and offload.database.host/port (a Unix-socket directory"
                    + " must be readable by this user).";
        } else {
            message = "Cannot open " + where + ": " + reason + " (SQLState " + state + ").";
        }
        return new CatalogException(message, Redaction.scrubbed(e, target.password()));
    }

    static CatalogException sqlite(String where, SQLException e) {
        return new CatalogException("Cannot open " + where + " read-only: " + e.getMessage()
                + ". Check offload.database.sqlite-path, and that this user may read the file and write its"
                + " directory (SQLite needs the -wal/-shm files even to read).", e);
    }

    static CatalogException query(String where, SQLException e) {
        return new CatalogException("Reading Synapse's media tables from " + where + " failed: "
                + Redaction.scrub(e.getMessage(), Optional.empty()), e);
    }
}

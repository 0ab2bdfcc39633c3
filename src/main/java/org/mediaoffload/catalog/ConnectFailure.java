package org.mediaoffload.catalog;

import java.sql.SQLException;
import java.util.Optional;
import org.mediaoffload.pipeline.CatalogException;

/** Turns a driver's connect error into a message that says where and what to check, without the password. */
final class ConnectFailure {

    private ConnectFailure() {}

    static CatalogException postgres(PostgresTarget target, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = Redaction.scrub(summary(e), target.password());
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
        return new CatalogException("Cannot open " + where + " read-only: " + summary(e)
                + ". Check offload.database.sqlite-path, and that this user may read the file and write its"
                + " directory (SQLite needs the -wal/-shm files even to read).", e);
    }

    static CatalogException query(String where, SQLException e) {
        return new CatalogException("Reading Synapse's media tables from " + where + " failed: "
                + Redaction.scrub(summary(e), Optional.empty()), e);
    }

    /**
     * The first line of the driver's message (PostgreSQL appends "Position:" and hints on further lines), plus
     * the root cause when it says more (a refused or missing socket hides there), without a trailing period.
     */
    static String summary(Throwable e) {
        String first = firstLine(e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !first.contains(firstLine(root.getMessage()))) {
            first = first + " (" + firstLine(root.getMessage()) + ")";
        }
        return first;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        while (line.endsWith(".")) {
            line = line.substring(0, line.length() - 1);
        }
        return line;
    }
}

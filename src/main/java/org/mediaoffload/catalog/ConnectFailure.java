package org.mediaoffload.catalog;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.Optional;
import org.mediaoffload.pipeline.CatalogException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

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
                    + ". Check offload.database.user and offload.database.password (or password-file; user and"
                    + " password in database.yaml).";
        } else if (state.equals("3D000")) {
            message = where + " does not exist: " + reason
                    + ". Check offload.database.name (database, or dbname, in database.yaml; the playbook writes"
                    + " database) or offload.database.url.";
        } else if (state.startsWith("08") || state.isEmpty()) {
            message = "Cannot connect to " + where + ": " + reason
                    + ". Check that PostgreSQL is running and offload.database.host/port (host and port in"
                    + " database.yaml; a Unix-socket directory must be readable by this user)"
                    + (isTimeout(e) || reason.toLowerCase(java.util.Locale.ROOT).contains("timed out")
                            ? "; it did not complete the login within offload.database.login-timeout" : "")
                    + ".";
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
        if (isSqliteLocked(e)) {
            return sqliteLocked(where, e);
        }
        return new CatalogException("Reading Synapse's media tables from " + where + " failed: "
                + Redaction.scrub(summary(e), Optional.empty()), e);
    }

    /** The driver gave up waiting for an answer (PgJDBC's socketTimeout: a SocketTimeoutException inside). */
    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static CatalogException noAnswer(String where, SQLException e) {
        return new CatalogException(where + " did not answer within offload.database.socket-timeout ("
                + Redaction.scrub(summary(e), Optional.empty()) + "). The run stops here and deletes nothing more;"
                + " the next run continues. Check the database server (load, locks, a stuck network path), or raise"
                + " offload.database.socket-timeout if it is merely slow.", e);
    }

    /**
     * SQLITE_BUSY (5) or SQLITE_LOCKED (6): another connection holds a lock longer than our busy timeout. Without
     * this the schema check would read it as "no such table" and call the file "not Synapse's database".
     */
    static boolean isSqliteLocked(SQLException e) {
        if (!(e instanceof SQLiteException sqlite)) {
            return false;
        }
        SQLiteErrorCode code = sqlite.getResultCode();
        int primary = code == null ? e.getErrorCode() & 0xff : code.code & 0xff;
        return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
    }

    static CatalogException sqliteLocked(String where, SQLException e) {
        return new CatalogException(where + " is locked: another process held a lock on it for longer than the "
                + SqliteConnectionSource.BUSY_TIMEOUT_MS / 1000 + " s we wait (" + summary(e) + "). Synapse holds"
                + " its write locks only briefly, so try again in a moment; if the file stays locked, find the"
                + " process that holds it (e.g. fuser -v on the file: a sqlite3 shell left in a transaction, a"
                + " backup tool) and end it. Do not delete the -wal, -shm or -journal files next to it.", e);
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

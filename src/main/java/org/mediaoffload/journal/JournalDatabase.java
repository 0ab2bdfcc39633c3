package org.mediaoffload.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.mediaoffload.host.FileOwnership;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the journal's SQLite file with our pragmas and schema, and explains SQLite failures to operators. */
final class JournalDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(JournalDatabase.class);
    private static final int BUSY_TIMEOUT_MS = 10_000;
    // SQLite primary result codes (the low byte of an extended code).
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private JournalDatabase() {}

    /** Creates {@code stateDir} if needed, opens {@code file} in WAL mode and migrates it to the latest schema. */
    static Connection open(Path stateDir, Path file) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new JournalException("cannot create state directory " + stateDir + " (offload.state-dir): " + e
                    + "; create it or point offload.state-dir at a writable directory", e);
        }
        if (Files.isDirectory(file)) {
            throw new JournalException("state database " + file + " is a directory; remove it so the journal can"
                    + " be created there");
        }
        refuseUnwritable(stateDir, file);
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            configure(connection, file);
            JournalSchema.migrate(connection, file);
            // WAL mode has created the -wal and -shm files by now: as root, hand all three to the service user.
            FileOwnership.giveToDirectoryOwner(stateDir, file, sibling(file, "-wal"), sibling(file, "-shm"));
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure(file, "open it", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /*
     * SQLite opens an unwritable file read-only and fails later with "attempt to write a readonly database"; a
     * root-owned journal left by a check-config run as root is an ownership problem, so say that, up front.
     */
    private static void refuseUnwritable(Path stateDir, Path file) {
        if (!Files.isWritable(stateDir)) {
            throw new JournalException(FileOwnership.cannotWrite("state directory", stateDir, stateDir));
        }
        for (Path f : new Path[] {file, sibling(file, "-wal"), sibling(file, "-shm")}) {
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(f)) {
                throw new JournalException(FileOwnership.cannotWrite("state database", f, stateDir));
            }
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static void configure(Connection connection, Path file) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                String mode = rs.next() ? rs.getString(1) : "?";
                if (!"wal".equalsIgnoreCase(mode)) {
                    // E.g. a network filesystem: still correct, only slower and more prone to SQLITE_BUSY.
                    LOG.warn("State database {} could not switch to WAL mode (journal_mode={}); continuing", file,
                            mode);
                }
            }
            // NORMAL is durable across process crashes in WAL mode; only power loss may drop the last commits,
            // which the journal tolerates (it is a hint, every deletion is re-proven in the run).
            st.execute("PRAGMA synchronous = NORMAL");
        }
    }

    /** A failure naming the file; a damaged file gets the way out (the journal is safe to start afresh). */
    static JournalException failure(Path file, String what, SQLException e) {
        int code = e.getErrorCode() & 0xff;
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
            return new JournalException("state database " + file + " is corrupt or not a SQLite database (could not "
                    + what + ": " + e.getMessage() + "). Stop synapse-media-offload, move the file (and any "
                    + file.getFileName() + "-wal/-shm next to it) aside and start again: a fresh journal is"
                    + " created. It only holds run history and hints, so nothing in the bucket or the media store"
                    + " is lost.", e);
        }
        return new JournalException("state database " + file + ": could not " + what + ": " + e.getMessage()
                + ". Check that offload.state-dir is on a local, writable filesystem with free space.", e);
    }

    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the state database failed: {}", e.getMessage());
        }
    }
}

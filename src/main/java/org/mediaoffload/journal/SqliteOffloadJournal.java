package org.mediaoffload.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mediaoffload.pipeline.FileEvent;
import org.mediaoffload.pipeline.JournalEntry;
import org.mediaoffload.pipeline.OffloadJournal;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal in {@code state-dir/offload.db}: one SQLite connection in WAL mode, used under this object's
 * monitor (SQLite allows one writer anyway, and a single connection avoids SQLITE_BUSY between our own threads).
 */
public final class SqliteOffloadJournal implements OffloadJournal {

    public static final String FILE_NAME = "offload.db";

    private static final Logger LOG = LoggerFactory.getLogger(SqliteOffloadJournal.class);
    private static final int BUSY_TIMEOUT_MS = 10_000;
    // SQLite result codes (low byte of the extended code).
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private final Path file;
    private final Clock clock;
    private Connection connection;

    private SqliteOffloadJournal(Path file, Clock clock, Connection connection) {
        this.file = file;
        this.clock = clock;
        this.connection = connection;
    }

    public static SqliteOffloadJournal open(Path stateDir) {
        return open(stateDir, Clock.systemUTC());
    }

    /** @param clock for the files' state timestamps (tests move it) */
    public static SqliteOffloadJournal open(Path stateDir, Clock clock) {
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(clock, "clock is null");
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new JournalException("cannot create state directory " + stateDir + " (offload.state-dir): " + e
                    + "; create it or point offload.state-dir at a writable directory", e);
        }
        Path file = stateDir.resolve(FILE_NAME);
        if (Files.isDirectory(file)) {
            throw new JournalException("state database " + file + " is a directory; remove it so the journal can"
                    + " be created there");
        }
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            configure(connection, file);
            JournalSchema.migrate(connection, file);
            return new SqliteOffloadJournal(file, clock, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw openFailure(file, e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
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

    private static JournalException openFailure(Path file, SQLException e) {
        int code = e.getErrorCode() & 0xff;
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
            return new JournalException("state database " + file + " is corrupt or not a SQLite database ("
                    + e.getMessage() + "). Stop synapse-media-offload, move the file (and any " + FILE_NAME
                    + "-wal/-shm next to it) aside and start again: a fresh journal is created. It only holds run"
                    + " history and hints, so nothing in the bucket or the media store is lost.", e);
        }
        return new JournalException("cannot open state database " + file + ": " + e.getMessage()
                + ". Check that offload.state-dir is on a local, writable filesystem.", e);
    }

    @Override
    public synchronized long runStarted(Instant startedAt, String trigger, boolean dryRun) {
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(trigger, "trigger is null");
        return call("record the start of a run", c -> RunTable.insertRunning(c, startedAt, trigger, dryRun));
    }

    @Override
    public synchronized void runFinished(RunSummary summary) {
        requireNonNull(summary, "summary is null");
        call("record the end of run " + summary.runId(), c -> {
            RunTable.storeFinished(c, summary);
            return null;
        });
    }

    @Override
    public synchronized int abandonUnfinishedRuns(Instant now) {
        requireNonNull(now, "now is null");
        return call("mark unfinished runs as aborted", c -> RunTable.abandonRunning(c, now));
    }

    @Override
    public synchronized Map<String, JournalEntry> lookup(Collection<String> keys) {
        requireNonNull(keys, "keys is null");
        if (keys.isEmpty()) {
            return Map.of();
        }
        return call("look up " + keys.size() + " keys", c -> FileTable.lookup(c, keys));
    }

    @Override
    public synchronized void record(Collection<FileEvent> events) {
        requireNonNull(events, "events is null");
        if (events.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        inTransaction("record " + events.size() + " file events", c -> {
            FileTable.upsert(c, events, now);
            return null;
        });
    }

    @Override
    public synchronized List<RunSummary> recentRuns(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return call("read recent runs", c -> RunTable.select(c, "", List.of(), limit));
    }

    /** The most recent run that has ended (a run in progress is {@code RunControl.current()}). */
    @Override
    public synchronized Optional<RunSummary> lastRun() {
        return call("read the last run", c -> RunTable.select(c, "WHERE status <> ?",
                List.of(RunStatus.RUNNING.name()), 1)).stream().findFirst();
    }

    @Override
    public synchronized Optional<RunSummary> lastSuccess() {
        return call("read the last successful run", c -> RunTable.select(c, "WHERE status = ?",
                List.of(RunStatus.SUCCEEDED.name()), 1)).stream().findFirst();
    }

    @Override
    public synchronized int purgeOlderThan(Instant cutoff) {
        requireNonNull(cutoff, "cutoff is null");
        return inTransaction("purge rows older than " + cutoff,
                c -> RunTable.purge(c, cutoff) + FileTable.purge(c, cutoff));
    }

    @Override
    public synchronized Optional<String> setting(String name) {
        requireNonNull(name, "name is null");
        return call("read setting " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public synchronized void putSetting(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        call("store setting " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO settings (name, value) VALUES (?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, name);
                ps.setString(2, value);
                return ps.executeUpdate();
            }
        });
    }

    /** Idempotent. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }

    @Override
    public String toString() {
        return "SqliteOffloadJournal[" + file + "]";
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T call(String what, SqlWork<T> work) {
        try {
            return work.run(open());
        } catch (SQLException e) {
            throw new JournalException("state database " + file + ": could not " + what + ": " + e.getMessage(), e);
        }
    }

    private <T> T inTransaction(String what, SqlWork<T> work) {
        return call(what, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private Connection open() {
        if (connection == null) {
            throw new IllegalStateException("journal " + file + " is closed");
        }
        return connection;
    }

    private static void closeQuietly(Connection connection) {
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

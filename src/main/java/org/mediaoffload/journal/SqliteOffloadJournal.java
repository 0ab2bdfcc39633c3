package org.mediaoffload.journal;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
import org.mediaoffload.pipeline.UploadProof;

/**
 * The journal in {@code state-dir/offload.db}: one SQLite connection in WAL mode, used under this object's
 * monitor (SQLite allows one writer anyway, and a single connection avoids SQLITE_BUSY between our own threads).
 */
public final class SqliteOffloadJournal implements OffloadJournal {

    public static final String FILE_NAME = "offload.db";

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
        Path file = stateDir.resolve(FILE_NAME);
        return new SqliteOffloadJournal(file, clock, JournalDatabase.open(stateDir, file));
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
    public synchronized void record(Collection<FileEvent> events, Collection<UploadProof> proofs) {
        requireNonNull(events, "events is null");
        requireNonNull(proofs, "proofs is null");
        if (events.isEmpty() && proofs.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        inTransaction("record " + events.size() + " file events", c -> {
            FileTable.upsert(c, events, now);
            ProofTable.upsert(c, proofs, now);
            return null;
        });
    }

    @Override
    public synchronized Optional<UploadProof> uploadProof(String key, String target) {
        requireNonNull(key, "key is null");
        requireNonNull(target, "target is null");
        return call("read the upload proof of " + key, c -> ProofTable.get(c, key, target));
    }

    @Override
    public synchronized int voidUploadProofs() {
        return inTransaction("void upload proofs", ProofTable::deleteAll);
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
        return call("read setting " + name, c -> SettingsTable.get(c, name));
    }

    @Override
    public synchronized void putSetting(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        call("store setting " + name, c -> {
            SettingsTable.put(c, name, value);
            return null;
        });
    }

    /** Idempotent. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            JournalDatabase.closeQuietly(connection);
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
            throw JournalDatabase.failure(file, what, e);
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
}

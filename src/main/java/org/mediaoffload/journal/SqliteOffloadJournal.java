package org.mediaoffload.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
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
import org.mediaoffload.pipeline.StateDirChangedException;
import org.mediaoffload.pipeline.UploadProof;

/**
 * The journal in {@code state-dir/offload.db}: one SQLite connection in WAL mode, used under this object's
 * monitor (SQLite allows one writer anyway, and a single connection avoids SQLITE_BUSY between our own threads).
 */
public final class SqliteOffloadJournal implements OffloadJournal {

    public static final String FILE_NAME = "offload.db";

    private final Path file;
    private final Clock clock;
    private final FileIdentity identity;
    private final Optional<StateDirLock> lock;
    private Connection connection;

    private SqliteOffloadJournal(Path file, Clock clock, Connection connection, FileIdentity identity,
            Optional<StateDirLock> lock) {
        this.file = file;
        this.clock = clock;
        this.connection = connection;
        this.identity = identity;
        this.lock = lock;
    }

    /** Without the state-dir lock: for readers beside a running daemon (check-config) and tests. */
    public static SqliteOffloadJournal open(Path stateDir) {
        return open(stateDir, Clock.systemUTC());
    }

    /** @param clock for the files' state timestamps (tests move it) */
    public static SqliteOffloadJournal open(Path stateDir, Clock clock) {
        requireNonNull(stateDir, "stateDir is null");
        return open(stateDir, clock, Optional.empty());
    }

    /**
     * The journal of the locked state directory, for the process that runs: every access first checks that the
     * lock file and the journal file are still the files opened. Refuses (as a held lock would) when the journal
     * names another live process that holds a lock on a lock file since deleted.
     *
     * @throws StateLockedException when another process still holds the state directory that way
     */
    public static SqliteOffloadJournal open(StateDirLock lock, Clock clock) {
        requireNonNull(lock, "lock is null");
        SqliteOffloadJournal journal = open(lock.lockFile().getParent(), clock, Optional.of(lock));
        try {
            Optional<String> other = journal.setting(HolderRecord.SETTING)
                    .flatMap(recorded -> HolderRecord.conflict(recorded, lock));
            if (other.isPresent()) {
                throw new StateLockedException("state directory " + lock.lockFile().getParent() + " is in use by"
                        + " another synapse-media-offload process (" + other.get() + "). Only one process may use a"
                        + " state directory at a time: stop that process (and restart the daemon if it was the"
                        + " daemon), then try again.");
            }
            journal.putSetting(HolderRecord.SETTING, HolderRecord.of(lock));
            return journal;
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    private static SqliteOffloadJournal open(Path stateDir, Clock clock, Optional<StateDirLock> lock) {
        requireNonNull(clock, "clock is null");
        Path file = stateDir.resolve(FILE_NAME);
        Connection connection = JournalDatabase.open(stateDir, file);
        try {
            FileIdentity identity = FileIdentity.of(file).orElseThrow(() -> new JournalException("state database "
                    + file + " vanished right after it was opened; is something cleaning offload.state-dir?"));
            return new SqliteOffloadJournal(file, clock, connection, identity, lock);
        } catch (IOException e) {
            JournalDatabase.closeQuietly(connection);
            throw new JournalException("state database " + file + ": cannot read its identity: " + e, e);
        } catch (RuntimeException e) {
            JournalDatabase.closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Fails when the lock file or this journal's file is no longer the file opened (deleted or replaced): writing
     * on would go into a file no later process reads, beside a process that may already use the directory.
     */
    @Override
    public void checkIntact() {
        lock.ifPresent(StateDirLock::verify);
        String change = identity.changeAt(file);
        if (change != null) {
            throw new StateDirChangedException("State directory " + file.getParent() + ": its journal " + file
                    + " " + change + " while this process had it open. This process starts no more runs and"
                    + " writes nothing more there (it would write into a file nobody reads). Restart it; a new"
                    + " journal is created if none is there. Deletions never rely on the journal, so nothing in"
                    + " the bucket or the media store is lost.");
        }
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

    @Override
    public synchronized void replaceTarget(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        inTransaction("record a new target and void the proofs for the old one", c -> {
            // Every table that holds proofs of verified uploads is cleared here: the files table (its rows are keyed
            // by the old target's prefix) and the upload proofs a later run would trust without reading back.
            FileTable.voidAll(c);
            ProofTable.deleteAll(c);
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
        checkIntact();
        return connection;
    }
}

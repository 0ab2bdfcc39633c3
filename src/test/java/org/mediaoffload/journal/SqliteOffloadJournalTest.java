package org.mediaoffload.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.FileEvent;
import org.mediaoffload.pipeline.FileState;
import org.mediaoffload.pipeline.JournalEntry;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.pipeline.UploadProof;

class SqliteOffloadJournalTest {

    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");

    @TempDir
    Path tmp;

    private Path stateDir;
    private MutableClock clock;
    private SqliteOffloadJournal journal;

    @BeforeEach
    void open() {
        stateDir = tmp.resolve("state");
        clock = new MutableClock(T0);
        journal = SqliteOffloadJournal.open(stateDir, clock);
    }

    @AfterEach
    void close() {
        journal.close();
    }

    @Test
    void uploadProofsApplyToTheirTargetOnlySurviveReopeningAndAreVoidedInOneCall() {
        UploadProof proof = new UploadProof("local_content/ab/cd/ef", "target-1", "0123abcd", "etag-1", 42,
                T0.minusSeconds(5));
        journal.record(List.of(), List.of(proof));
        journal.record(List.of(), List.of(new UploadProof("local_content/ab/cd/ef", "target-1", "4567", "etag-2", 43,
                T0)));

        assertThat(journal.uploadProof("local_content/ab/cd/ef", "target-1")).map(UploadProof::eTag)
                .as("the last upload wins").contains("etag-2");
        assertThat(journal.uploadProof("local_content/ab/cd/ef", "target-2")).as("another target").isEmpty();
        journal.close();
        journal = SqliteOffloadJournal.open(stateDir, clock);
        assertThat(journal.uploadProof("local_content/ab/cd/ef", "target-1")).map(UploadProof::lastModified)
                .contains(T0);

        journal.replaceTarget("target", "another");
        assertThat(journal.uploadProof("local_content/ab/cd/ef", "target-1"))
                .as("a new target voids the proofs made against the old one").isEmpty();
    }

    @Test
    void createsTheFileWithSchemaVersionAndWal() throws Exception {
        Path db = stateDir.resolve("offload.db");
        assertThat(db).isRegularFile();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            assertThat(single(st, "PRAGMA user_version")).isEqualTo("2");
            assertThat(single(st, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(st, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
                    + " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)"))
                    .isEqualTo("files,runs,settings,upload_proofs");
        }
    }

    @Test
    void reopeningAppliesNoMigrationTwiceAndKeepsData() {
        long run = journal.runStarted(T0, "schedule", false);
        journal.record(List.of(event(run, "k1", FileState.UPLOADED, 10, "abc")));
        journal.putSetting("sse-key-fingerprint", "f00");
        journal.close();
        journal.close(); // idempotent

        journal = SqliteOffloadJournal.open(stateDir, clock);
        assertThat(journal.setting("sse-key-fingerprint")).contains("f00");
        assertThat(journal.lookup(List.of("k1"))).containsKey("k1");
        assertThat(journal.recentRuns(10)).extracting(RunSummary::runId).containsExactly(run);
    }

    @Test
    void migrationsAreOrderedAndContiguousFromOne() {
        List<Integer> versions = JournalSchema.MIGRATIONS.stream().map(JournalSchema.Migration::version).toList();
        assertThat(versions).isEqualTo(IntStream.rangeClosed(1, versions.size()).boxed().toList());
        assertThat(JournalSchema.latestVersion()).isEqualTo(versions.size());
    }

    @Test
    void anEmptyFileIsTreatedAsANewDatabase() throws Exception {
        journal.close();
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.createFile(other.resolve("offload.db"));
        try (SqliteOffloadJournal fresh = SqliteOffloadJournal.open(other)) {
            fresh.putSetting("a", "b");
            assertThat(fresh.setting("a")).contains("b");
        }
    }

    @Test
    void refusesANewerSchemaVersionNamingTheFile() throws Exception {
        journal.close();
        Path db = stateDir.resolve("offload.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 7");
        }
        assertThatThrownBy(() -> SqliteOffloadJournal.open(stateDir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("schema version 7")
                .hasMessageContaining("newer release");
    }

    @Test
    void refusesACorruptFileNamingItAndWhatToDo() throws Exception {
        journal.close();
        Path db = stateDir.resolve("offload.db");
        Files.delete(db);
        Files.deleteIfExists(stateDir.resolve("offload.db-wal"));
        Files.deleteIfExists(stateDir.resolve("offload.db-shm"));
        Files.writeString(db, "this is not a database at all, just some text ".repeat(100));
        assertThatThrownBy(() -> SqliteOffloadJournal.open(stateDir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("corrupt or not a SQLite database")
                .hasMessageContaining("move the file");
    }

    @Test
    void upsertSetsStateTimestampsPerState() {
        long run = journal.runStarted(T0, "manual", false);
        journal.record(List.of(event(run, "p/a", FileState.UPLOADED, 10, "md5a")));
        assertThat(journal.lookup(List.of("p/a")).get("p/a"))
                .isEqualTo(new JournalEntry("p/a", FileState.UPLOADED, 10, Optional.of("md5a"), T0));
        assertThat(times("p/a")).containsExactly(T0.toEpochMilli(), null, null);

        clock.advance(Duration.ofSeconds(1));
        journal.record(List.of(event(run, "p/a", FileState.VERIFIED, 10, null)));
        clock.advance(Duration.ofSeconds(1));
        journal.record(List.of(event(run, "p/a", FileState.DELETED, 10, null)));
        JournalEntry deleted = journal.lookup(List.of("p/a")).get("p/a");
        assertThat(deleted.state()).isEqualTo(FileState.DELETED);
        assertThat(deleted.md5Hex()).as("md5 kept while the size is unchanged").contains("md5a");
        assertThat(deleted.updatedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(times("p/a")).containsExactly(T0.toEpochMilli(), T0.plusSeconds(1).toEpochMilli(),
                T0.plusSeconds(2).toEpochMilli());

        // The same event twice is harmless (a run resumed after a crash repeats its last batch).
        journal.record(List.of(event(run, "p/a", FileState.DELETED, 10, null)));
        assertThat(journal.lookup(List.of("p/a")).get("p/a").state()).isEqualTo(FileState.DELETED);

        // Re-appeared file, new size: a new cycle, old verification and deletion forgotten, old md5 dropped.
        clock.advance(Duration.ofSeconds(1));
        journal.record(List.of(event(run, "p/a", FileState.FAILED, 12, null)));
        assertThat(journal.lookup(List.of("p/a")).get("p/a").md5Hex()).isEmpty();
        assertThat(error("p/a")).isEqualTo("boom");
        journal.record(List.of(event(run, "p/a", FileState.UPLOADED, 12, "md5b")));
        assertThat(times("p/a")).containsExactly(T0.plusSeconds(3).toEpochMilli(), null, null);
        assertThat(error("p/a")).isNull();
    }

    @Test
    void recordIsOneTransaction() {
        long run = journal.runStarted(T0, "manual", false);
        List<FileEvent> events = new ArrayList<>();
        events.add(event(run, "ok", FileState.UPLOADED, 1, "x"));
        events.add(null); // fails mid-batch
        assertThatThrownBy(() -> journal.record(events)).isInstanceOf(NullPointerException.class);
        assertThat(journal.lookup(List.of("ok"))).isEmpty();
        // The connection is still usable afterwards.
        journal.record(List.of(event(run, "ok", FileState.UPLOADED, 1, "x")));
        assertThat(journal.lookup(List.of("ok"))).containsKey("ok");
    }

    @Test
    void lookupSpansSeveralChunksAndOmitsUnknownKeys() {
        long run = journal.runStarted(T0, "manual", false);
        List<FileEvent> events = IntStream.range(0, 1234)
                .mapToObj(i -> event(run, "k" + i, FileState.VERIFIED, i, null)).toList();
        journal.record(events);
        List<String> keys = new ArrayList<>(IntStream.range(0, 1234).mapToObj(i -> "k" + i).toList());
        keys.add("unknown");
        Map<String, JournalEntry> found = journal.lookup(keys);
        assertThat(found).hasSize(1234).doesNotContainKey("unknown");
        assertThat(found.get("k1000").size()).isEqualTo(1000);
        assertThat(journal.lookup(List.of())).isEmpty();
    }

    @Test
    void runLifecycleAndAbandonedRuns() {
        long first = journal.runStarted(T0, "schedule", true);
        RunSummary finished = summary(first, RunStatus.SUCCEEDED, T0, T0.plusSeconds(60),
                List.of("a: failed\nwith a newline", "b: skipped"));
        journal.runFinished(finished);
        long second = journal.runStarted(T0.plusSeconds(120), "manual", false);

        assertThat(journal.recentRuns(10)).extracting(RunSummary::runId).containsExactly(second, first);
        RunSummary read = journal.lastRun().orElseThrow();
        assertThat(read.errors()).containsExactly("a: failed with a newline", "b: skipped");
        assertThat(read).usingRecursiveComparison().ignoringFields("errors").isEqualTo(finished);
        assertThat(journal.lastSuccess()).map(RunSummary::runId).contains(first);
        RunSummary running = journal.recentRuns(1).get(0);
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(running.endedAt()).isNull();
        assertThat(running.dryRun()).isFalse();

        assertThat(journal.abandonUnfinishedRuns(T0.plusSeconds(500))).isEqualTo(1);
        RunSummary aborted = journal.lastRun().orElseThrow();
        assertThat(aborted.runId()).isEqualTo(second);
        assertThat(aborted.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(aborted.endedAt()).isEqualTo(T0.plusSeconds(500));
        assertThat(aborted.errors()).singleElement().asString().contains("stopped before this run finished");
        assertThat(journal.abandonUnfinishedRuns(T0.plusSeconds(600))).isZero();
        assertThat(journal.lastSuccess()).map(RunSummary::runId).contains(first);
    }

    @Test
    void retentionRemovesOldRunsAndFilesButKeepsTheLastSuccess() {
        long oldSuccess = journal.runStarted(T0, "schedule", false);
        journal.runFinished(summary(oldSuccess, RunStatus.SUCCEEDED, T0, T0.plusSeconds(10), List.of()));
        long olderSuccess = oldSuccess;
        long oldFailure = journal.runStarted(T0.plusSeconds(20), "schedule", false);
        journal.runFinished(summary(oldFailure, RunStatus.FAILED_FILES, T0.plusSeconds(20), T0.plusSeconds(30),
                List.of("x")));
        journal.record(List.of(event(oldFailure, "old", FileState.DELETED, 1, null)));

        clock.advance(Duration.ofDays(40));
        Instant later = clock.instant();
        long recent = journal.runStarted(later, "schedule", false);
        journal.runFinished(summary(recent, RunStatus.ABORTED, later, later.plusSeconds(5), List.of()));
        journal.record(List.of(event(recent, "new", FileState.VERIFIED, 1, null)));
        long stillRunning = journal.runStarted(T0.minusSeconds(5), "manual", false);

        int removed = journal.purgeOlderThan(later.minus(Duration.ofDays(1)));

        assertThat(removed).as("old failed run + old file row").isEqualTo(2);
        assertThat(journal.recentRuns(10)).extracting(RunSummary::runId)
                .containsExactly(stillRunning, recent, olderSuccess);
        assertThat(journal.lookup(List.of("old", "new"))).containsOnlyKeys("new");
        assertThat(journal.lastSuccess()).map(RunSummary::runId).contains(oldSuccess);
        // Run ids are never reused after a purge.
        assertThat(journal.runStarted(later, "manual", false)).isGreaterThan(stillRunning);
    }

    @Test
    void settingsUpsert() {
        assertThat(journal.setting("missing")).isEmpty();
        journal.putSetting("a", "1");
        journal.putSetting("a", "2");
        assertThat(journal.setting("a")).contains("2");
    }

    @Test
    void concurrentWritersFromSeveralThreads() throws Exception {
        long run = journal.runStarted(T0, "manual", false);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int batch = 0; batch < 20; batch++) {
                        List<FileEvent> events = new ArrayList<>();
                        for (int i = 0; i < 25; i++) {
                            events.add(event(run, "t" + thread + "/" + batch + "/" + i, FileState.UPLOADED, i, "m"));
                        }
                        journal.record(events);
                        journal.lookup(List.of("t0/0/0"));
                        journal.recentRuns(3);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> all = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            for (int b = 0; b < 20; b++) {
                for (int i = 0; i < 25; i++) {
                    all.add("t" + t + "/" + b + "/" + i);
                }
            }
        }
        assertThat(journal.lookup(all)).hasSize(3000);
    }

    @Test
    void usingAClosedJournalFailsClearly() {
        journal.close();
        assertThatThrownBy(() -> journal.setting("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static FileEvent event(long run, String key, FileState state, long size, String md5) {
        Optional<String> error = state == FileState.FAILED || state == FileState.SKIPPED
                ? Optional.of("boom") : Optional.empty();
        return new FileEvent(run, key, "rel/" + key, state, size, 1_000L, Optional.ofNullable(md5), error);
    }

    private static RunSummary summary(long id, RunStatus status, Instant start, Instant end, List<String> errors) {
        return new RunSummary(id, "schedule", id % 2 == 0, status, start, end, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                errors);
    }

    private List<Long> times(String key) {
        return query("SELECT uploaded_at, verified_at, deleted_at FROM files WHERE key = '" + key + "'", 3);
    }

    private String error(String key) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve("offload.db"));
                Statement st = c.createStatement()) {
            return single(st, "SELECT error FROM files WHERE key = '" + key + "'");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<Long> query(String sql, int columns) {
        // A second, reading connection: WAL lets it see committed data while the journal stays open.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve("offload.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            List<Long> values = new ArrayList<>();
            for (int i = 1; i <= columns; i++) {
                long v = rs.getLong(i);
                values.add(rs.wasNull() ? null : v);
            }
            return values;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}

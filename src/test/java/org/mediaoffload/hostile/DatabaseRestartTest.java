package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * Synapse's PostgreSQL restarted in the middle of a run, as the run sees it: every session of ours terminated by the
 * server ({@code pg_terminate_backend}, what a restart's shutdown does to each backend), and, while it was down, a
 * media purged by Synapse's retention. The run holds at one media's PUT while this happens. Whatever the run then
 * does (reconnect or abort), nothing is deleted without its object, and the purged media's file is kept.
 */
class DatabaseRestartTest {
    @RegisterExtension
    static final MisbehavingServer S3 = new MisbehavingServer();

    @TempDir
    Path tmp;

    private OffloadHarness h;

    @AfterEach
    void close() throws Exception {
        S3.store().reset();
        if (h != null) {
            h.close();
        }
    }

    private static String media(int i) {
        return String.format("restartMedia%012d", i);
    }

    /** Terminates every session on the test's database but the harness's own: the run's connections. */
    private int terminateTheRunsSessions() throws Exception {
        try (PreparedStatement s = h.connection().prepareStatement("SELECT count(pg_terminate_backend(pid))"
                + " FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, h.postgres().name());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Test
    void aRestartMidRunWithAPurgeMeanwhileLosesNothingAndKeepsThePurgedMedia() throws Exception {
        h = new OffloadHarness(Db.POSTGRES, tmp, S3.server());
        h.concurrency = Optional.of(1);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            byte[] content = bytes(2_000 + i, i);
            h.addLocal(media(i), content, 3 * DAY_MS);
            files.put(localOriginal(media(i)), content);
        }
        String purged = media(9);
        S3.store().hold(h.key(localOriginal(media(6))));

        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> h.run());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> S3.store().holding() || run.isDone());
        assertThat(S3.store().holding()).as("the run reached the held PUT").isTrue();
        assertThat(terminateTheRunsSessions()).as("the run had sessions to lose").isPositive();
        h.fixture().deleteLocal(purged);
        S3.store().release();
        RunSummary summary = run.get(2, TimeUnit.MINUTES);

        NothingLost.assertLocalOrInTheBucket(h, files);
        assertThat(h.localExists(localOriginal(purged))).as("its row is gone: kept").isTrue();
        assertThat(summary.status()).isIn(RunStatus.SUCCEEDED, RunStatus.FAILED_FILES, RunStatus.ABORTED);

        // The next run, with the database back: every media that still has its row is offloaded, the purged one kept.
        RunSummary next = h.run();
        NothingLost.assertLocalOrInTheBucket(h, files);
        assertThat(next.status()).isIn(RunStatus.SUCCEEDED, RunStatus.FAILED_FILES);
        for (int i = 0; i < 12; i++) {
            assertThat(h.localExists(localOriginal(media(i)))).as(media(i)).isEqualTo(media(i).equals(purged));
        }
    }
}

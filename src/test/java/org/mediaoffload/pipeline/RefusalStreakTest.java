package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;

/** A store that refuses every upload the same way stops the run after a few, naming the likely cause. */
class RefusalStreakTest {
    @TempDir
    Path tmp;

    @Test
    void onlyIdenticalRefusalsInARowCountAndAnAcceptedUploadStartsOver() {
        StopSignal stop = new StopSignal();
        RunCounters counters = new RunCounters();
        RefusalStreak streak = new RefusalStreak("GLACIER", false, stop, counters);
        ObjectStoreException bare400 = new ObjectStoreException("PutObject failed: HTTP 400", 400, "", null);
        ObjectStoreException other = new ObjectStoreException("PutObject failed", 400, "InvalidArgument", null);
        ObjectStoreException local = new ObjectStoreException("changed", -1, "LocalFileChanged", null);
        ObjectStoreException outage = new ObjectStoreException("no response", 503, "SlowDown", null);

        for (int i = 0; i < 4; i++) {
            streak.refused(bare400);
        }
        streak.accepted();
        for (int i = 0; i < 4; i++) {
            streak.refused(bare400);
        }
        streak.refused(other);
        for (int i = 0; i < 4; i++) {
            streak.refused(bare400);
            streak.refused(local); // the file's fault: neither counts nor breaks the streak
            streak.refused(outage);
        }
        assertThat(stop.stopped()).isFalse();

        streak.refused(bare400);

        assertThat(stop.reason()).contains(RunStatus.MISCONFIGURED);
        assertThat(counters.errors()).singleElement().asString().contains("HTTP 400)")
                .contains("offload.s3.storage-class = GLACIER").doesNotContain("SSE-C");
    }

    @Test
    void fiveIdenticalRefusalsInARowStopTheRunNamingStorageClassAndSseC() throws Exception {
        // S3Proxy's filesystem store answers NotImplemented to any SSE-C header, as a bucket that blocks SSE-C.
        Path fs = Files.createDirectories(tmp.resolve("fs"));
        try (S3ProxyServer s3 = S3ProxyServer.builder().filesystemStore(fs).start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, s3)) {
            int media = 40;
            for (int i = 0; i < media; i++) {
                h.addLocal(String.format("refused%017d", i), bytes(300, i), 3 * DAY_MS);
            }

            RunSummary summary = h.run();

            assertThat(summary.status()).isEqualTo(RunStatus.MISCONFIGURED);
            assertThat(summary.status().exitCode()).isEqualTo(2);
            // Transfers already in flight when the fifth refusal arrives still finish: at most one more per thread.
            assertThat(h.requests.count("PutObject")).as("%s", h.requests)
                    .isBetween((long) RefusalStreak.THRESHOLD, (long) RefusalStreak.THRESHOLD + h.s3Config().concurrency());
            assertThat(summary.errors()).anyMatch(e -> e.contains("refused 5 uploads in a row")
                    && e.contains("offload.s3.storage-class") && e.contains("SSE-C") && e.contains("check-config"));
            assertThat(summary.filesDeleted()).isZero();
            for (int i = 0; i < media; i++) {
                assertThat(h.localExists(localOriginal(String.format("refused%017d", i)))).isTrue();
            }
        }
    }
}

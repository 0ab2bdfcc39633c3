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

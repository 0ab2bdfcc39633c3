package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;

/** kill -9 in the middle of a run: nothing is lost, nothing is deleted unverified, the next run completes. */
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void aRunKilledMidwayLosesNothingAndTheNextRunCompletesTheJob() throws Exception {
        // A slow store (100 ms per storage operation) so the kill lands mid-run.
        try (S3ProxyServer server = S3ProxyServer.builder().latency(Duration.ofMillis(100)).start();
                OffloadHarness h = new OffloadHarness(Db.POSTGRES, tmp, server)) {
            Map<String, byte[]> media = new LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                String id = String.format("crashMedia%014d", i);
                byte[] content = bytes(20_000 + i, i);
                h.addLocal(id, content, 3 * DAY_MS);
                media.put(id, content);
            }
            Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

            CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString());
            await("some files offloaded and deleted").atMost(Duration.ofMinutes(2))
                    .until(() -> media.keySet().stream().anyMatch(id -> !h.localExists(localOriginal(id))));
            cli.kill();

            long deletedBeforeCrash = media.keySet().stream().filter(id -> !h.localExists(localOriginal(id))).count();
            assertThat(deletedBeforeCrash).isLessThan(media.size());
            assertEveryMediaIsLocalOrReadableFromTheBucket(h, media);

            RunSummary resumed = h.run();

            assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
            for (Map.Entry<String, byte[]> m : media.entrySet()) {
                assertThat(h.localExists(localOriginal(m.getKey()))).as(m.getKey()).isFalse();
                assertThat(h.objectBytes(localOriginal(m.getKey()))).as(m.getKey()).contains(m.getValue());
            }
            assertThat(h.run(false, RunListener.NONE).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    private static void assertEveryMediaIsLocalOrReadableFromTheBucket(OffloadHarness h, Map<String, byte[]> media) {
        for (Map.Entry<String, byte[]> m : media.entrySet()) {
            if (!h.localExists(localOriginal(m.getKey()))) {
                Optional<byte[]> object = h.objectBytes(localOriginal(m.getKey()));
                assertThat(object).as("%s was deleted locally, so it must be readable in the bucket", m.getKey())
                        .contains(m.getValue());
            }
        }
    }
}

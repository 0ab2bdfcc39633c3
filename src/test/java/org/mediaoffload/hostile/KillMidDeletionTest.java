package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;

/**
 * {@code kill -9} of {@code run-once} while it deletes (the first local file gone is the signal), media with an
 * original and thumbnails so that a media can be cut half-deleted, and a symlink out of the store planted among a
 * media's thumbnails (never listed, never followed). Then the same command again: nothing lost, nothing outside read
 * or changed, and the job completes.
 */
class KillMidDeletionTest {
    @TempDir
    Path tmp;

    @Test
    void aRunKilledWhileDeletingAndRunAgainLosesNothing() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server)) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int i = 0; i < 150; i++) {
                String id = String.format("killDelete%014d", i);
                byte[] content = bytes(4_000 + i, i);
                h.addLocal(id, content, 3 * DAY_MS);
                files.put(localOriginal(id), content);
                for (String thumb : new String[] {"/32-32-image-png-crop", "/96-96-image-png-scale"}) {
                    byte[] t = bytes(300 + i, 1_000 + i);
                    h.writeFile(localThumbDir(id) + thumb, t);
                    files.put(localThumbDir(id) + thumb, t);
                }
            }
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            NothingLost.plant(outside.resolve("secret"), bytes(4_075, 75));
            String linked = localThumbDir(String.format("killDelete%014d", 75)) + "/64-64-image-png-crop";
            Files.createSymbolicLink(h.mediaStore().resolve(linked), outside.resolve("secret"));
            Map<String, String> outsideBefore = NothingLost.snapshot(outside);
            Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 4);

            CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString());
            await("the first local file deleted").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(5))
                    .until(() -> files.keySet().stream().anyMatch(f -> !h.localExists(f)));
            cli.kill();

            NothingLost.assertLocalOrInTheBucket(h, files);
            assertThat(NothingLost.snapshot(outside)).isEqualTo(outsideBefore);

            CliProcess again = CliProcess.start(tmp, "run-once", "--config", conf.toString());
            int exit = again.await();

            NothingLost.assertLocalOrInTheBucket(h, files);
            assertThat(NothingLost.snapshot(outside)).isEqualTo(outsideBefore);
            assertThat(exit).as("a symlink is never listed as a media file: %s", again.stderr()).isZero();
            assertThat(h.mediaStore().resolve(linked)).isSymbolicLink();
            assertThat(files.keySet().stream().filter(h::localExists)).as("every real file offloaded").isEmpty();
            assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(NothingLost.snapshot(outside)).isEqualTo(outsideBefore);
        }
    }
}

package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mediaoffload.Engine;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;

/** Live progress counts each file as its upload finishes, not when its batch of media is verified. */
class LiveProgressTest extends EngineTestBase {

    @Test
    void aFinishedUploadCountsWhileTheRestOfItsBatchIsStillGoing() throws Exception {
        harness(Db.SQLITE);
        for (int i = 0; i < 4; i++) {
            h.addLocal("progressMedia" + i + "AAAAAAAAAA", bytes(2_000 + i, i), 3 * DAY_MS);
        }
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger verified = new AtomicInteger();
        AtomicInteger progressed = new AtomicInteger();
        RunListener holdTheSecondFile = new RunListener() {
            @Override
            public void fileProgressed(long bytes) {
                // The second file's transfer thread waits here, so its batch cannot be verified yet.
                if (progressed.incrementAndGet() == 2) {
                    waitFor(release);
                }
            }

            @Override
            public void fileFinished(FileOutcome outcome, long bytes) {
                verified.incrementAndGet();
            }
        };

        try (Engine engine = h.openEngine(holdTheSecondFile)) {
            RunCoordinator runs = engine.coordinator();
            runs.startRun("test", false);
            try {
                await("the first uploads counted").atMost(Duration.ofSeconds(60)).until(() ->
                        runs.current().map(LiveProgress::filesDone).orElse(0L) >= 2);
                LiveProgress during = runs.current().orElseThrow();
                assertThat(during.filesUploaded()).isGreaterThanOrEqualTo(2);
                assertThat(during.filesDone()).as("progress follows the uploads").isEqualTo(during.filesUploaded());
                assertThat(verified).as("the batch is not verified yet").hasValue(0);
            } finally {
                release.countDown();
            }
            await("run finished").atMost(Duration.ofSeconds(60)).until(() -> runs.current().isEmpty());
            assertThat(runs.history(1).get(0).filesUploaded()).isEqualTo(4);
            assertThat(verified).hasValue(4);
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

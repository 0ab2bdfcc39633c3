package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.Engine;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;

/** Shutdown in the middle of a run: triggers refused, in-flight work aborted after the grace, nothing lost. */
class ShutdownTest {
    @TempDir
    Path tmp;

    @Test
    void shutdownDuringARunAbortsInFlightTransfersAndDeletesNothingUnverified() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.builder().latency(Duration.ofMillis(200)).start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server)) {
            Map<String, byte[]> media = new LinkedHashMap<>();
            for (int i = 0; i < 30; i++) {
                String id = String.format("shutdown%016d", i);
                media.put(id, bytes(5_000 + i, i));
                h.addLocal(id, media.get(id), 3 * DAY_MS);
            }
            ch.qos.logback.classic.Logger logger =
                    (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.mediaoffload");
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                    new ch.qos.logback.core.read.ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            java.util.List<String> logged = new java.util.ArrayList<>();
            try (Engine engine = h.openEngine(RunListener.NONE)) {
                RunCoordinator coordinator = engine.coordinator();
                coordinator.startRun("test", false);
                await("transfers under way").atMost(Duration.ofSeconds(30))
                        .until(() -> coordinator.current().map(p -> p.phase() == RunPhase.TRANSFERRING).orElse(false));

                coordinator.shutdown(Duration.ofMillis(1));

                assertThat(coordinator.current()).as("no run left after shutdown").isEmpty();
                assertThatThrownBy(() -> coordinator.startRun("test", false)).isInstanceOf(IllegalStateException.class);
                assertThat(coordinator.history(1)).first().extracting(RunSummary::status)
                        .isEqualTo(RunStatus.CANCELLED);
            } finally {
                logger.detachAppender(appender);
                appender.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                        .forEach(e -> logged.add(e.getFormattedMessage()));
            }
            assertThat(logged).as("a requested shutdown is not an error").isEmpty();
            long stillLocal = 0;
            for (Map.Entry<String, byte[]> m : media.entrySet()) {
                if (h.localExists(localOriginal(m.getKey()))) {
                    stillLocal++;
                } else {
                    assertThat(h.objectBytes(localOriginal(m.getKey()))).as(m.getKey()).contains(m.getValue());
                }
            }
            assertThat(stillLocal).as("the run was stopped before the end").isPositive();
        }
    }
}

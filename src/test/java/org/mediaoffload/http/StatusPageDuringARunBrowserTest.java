package org.mediaoffload.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mediaoffload.Engine;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.RunCoordinator;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.RequiredTool;
import org.mediaoffload.testing.WebDriver;

/**
 * The status page in headless Chromium while a real run (engine, journal, S3Proxy) is going: a run held after its
 * first upload, with a finished dry run before it in the history.
 */
class StatusPageDuringARunBrowserTest extends EngineTestBase {

    @Test
    void duringARunThePageShowsHonestFiguresAndADryRunSaysWhatItWouldDo() throws Exception {
        Path chromedriver = RequiredTool.require("/usr/bin/chromedriver", "chromium-driver");
        RequiredTool.require("/usr/bin/chromium", "chromium");
        Path chromium = Files.isExecutable(Path.of("/usr/lib/chromium/chromium"))
                ? Path.of("/usr/lib/chromium/chromium") : Path.of("/usr/bin/chromium");
        harness(Db.SQLITE);
        for (int i = 0; i < 3; i++) {
            h.addLocal("pageMedia" + i + "AAAAAAAAAAAAAA", bytes(3_000 + i, i), 3 * DAY_MS);
        }
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger progressed = new AtomicInteger();
        AtomicInteger holding = new AtomicInteger();
        RunListener holdAfterTheFirstFile = new RunListener() {
            @Override
            public void fileProgressed(long bytes) {
                if (holding.get() == 1 && progressed.incrementAndGet() == 1) {
                    waitFor(release);
                }
            }
        };

        try (Engine engine = h.openEngine(holdAfterTheFirstFile);
                OffloadMetrics metrics = OffloadMetrics.create(h.mediaStore());
                AdminServer server = new AdminServer(new HttpConfig("127.0.0.1", 0, Optional.empty()),
                        engine.coordinator(), metrics, () -> new StatusInfo(Optional.empty(), "0 0 5 * * ?"));
                WebDriver browser = new WebDriver(chromedriver, chromium)) {
            RunCoordinator runs = engine.coordinator();
            runs.runNow("test", true);
            String base = "http://127.0.0.1:" + server.port() + "/";

            // Before any script runs, the page claims nothing it does not know.
            String raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String markup = raw.substring(0, raw.indexOf("<script>"));
            assertThat(markup).doesNotContain("no runs yet").doesNotContain("No run in progress");

            holding.set(1);
            long runId = runs.startRun("test", false);
            try {
                browser.open(base);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(browser.text("#progress-text")).containsPattern("[1-3] / ~3 files")
                            .contains("estimated");
                    assertThat(browser.text("#runs")).contains("running for").doesNotContain("-4")
                            .contains("would upload 3 files").contains("would free");
                    assertThat(browser.text("#backlog")).contains("still local after run " + (runId - 1))
                            .contains("run " + runId + " is in progress");
                });
                assertThat(browser.text("#runs")).doesNotContain("RUNNING").doesNotContain("SUCCEEDED");
                assertThat(browser.attribute("#runs tr:first-child td:nth-child(5)", "class")).isEqualTo("running");
            } finally {
                release.countDown();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> runs.current().isEmpty());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(browser.text("#runs")).contains("succeeded").doesNotContain("running for");
                assertThat(browser.text("#backlog")).contains("0 files").contains("after run " + runId);
            });
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

package org.mediaoffload.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.fakes.FakeRunControl;
import org.mediaoffload.fakes.FakeRunControl.Start;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.RunPhase;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.testing.RequiredTool;
import org.mediaoffload.testing.WebDriver;

/** The status page in Debian's real headless chromium: it shows progress and its "Run now" button works. */
class StatusPageBrowserTest {
    private static final String TOKEN = "browser-test-token";

    @TempDir
    Path mediaStore;

    @Test
    void showsTheCurrentRunAndStartsARunWithTheToken() throws Exception {
        Path chromedriver = RequiredTool.require("/usr/bin/chromedriver", "chromium-driver");
        RequiredTool.require("/usr/bin/chromium", "chromium");
        // The real binary: /usr/bin/chromium is a wrapper script chromedriver cannot always identify.
        Path chromium = Files.isExecutable(Path.of("/usr/lib/chromium/chromium"))
                ? Path.of("/usr/lib/chromium/chromium") : Path.of("/usr/bin/chromium");
        FakeRunControl runs = new FakeRunControl(Clock.systemUTC());
        runs.startRun("schedule", false);
        runs.progress(RunPhase.TRANSFERRING, 40, 4_000_000, 10, 1_000_000, 2);

        try (OffloadMetrics metrics = OffloadMetrics.create(mediaStore);
                AdminServer server = new AdminServer(new HttpConfig("127.0.0.1", 0, Optional.of(new Secret(TOKEN))),
                        runs, metrics, () -> new StatusInfo(Optional.of(Instant.parse("2030-01-02T05:00:00Z")),
                                "0 0 5 * * ? (UTC)"));
                WebDriver browser = new WebDriver(chromedriver, chromium)) {
            browser.open("http://127.0.0.1:" + server.port() + "/");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(browser.text("#current-summary")).contains("Run 42").contains("TRANSFERRING");
                assertThat(browser.text("#progress-text")).contains("10 / ~40 files").contains("2 failed");
            });
            assertThat(browser.text("#next-run")).contains("2030");

            runs.finish(RunStatus.SUCCEEDED);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(browser.text("#idle")).contains("No run in progress");
                assertThat(browser.text("#runs")).contains("succeeded");
                assertThat(browser.text("#backlog")).contains("3 files");
            });

            browser.click("#run-now");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(browser.promptText()).contains("Admin token"));
            browser.answerPrompt(TOKEN);

            await().atMost(Duration.ofSeconds(10)).until(() -> !runs.starts().isEmpty() && runs.starts().size() == 2);
            assertThat(runs.starts().get(1)).isEqualTo(new Start(43, "http", false));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertThat(browser.text("#message")).isEqualTo("Run 43 started."));
        }
    }
}

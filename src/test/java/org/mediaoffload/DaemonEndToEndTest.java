package org.mediaoffload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.metrics.DashboardTest;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3Store;
import org.mediaoffload.testing.S3TestServer;
import org.mediaoffload.testing.Scrape;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real daemon in its own JVM against PostgreSQL and S3Proxy (Ceph RGW: the subclass): a run triggered over HTTP, followed to completion,
 * its figures scraped from /metrics, then SIGTERM and a clean exit.
 */
class DaemonEndToEndTest {
    private static final String TOKEN = "e2e-admin-token-0123456789abcdef";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void runsOnRequestReportsProgressAndMetricsAndStopsCleanlyOnSigterm() throws Exception {
        try (S3TestServer server = S3Store.Kind.of(getClass()).open();
                OffloadHarness h = new OffloadHarness(Db.POSTGRES, tmp, server)) {
            h.addLocal("daemonMediaAAAAAAAAAAAAA", bytes(3_000, 1), 3 * DAY_MS);
            h.addLocal("daemonMediaBBBBBBBBBBBBB", bytes(4_000, 2), 3 * DAY_MS);
            int port = freePort();
            Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 4);
            Files.writeString(conf, "offload.http { port = " + port + ", admin-token = \"" + TOKEN + "\" }\n"
                    + "offload.schedule.cron = \"0 0 5 1 1 ? 2099\"\n", StandardOpenOption.APPEND);
            String base = "http://127.0.0.1:" + port;

            CliProcess daemon = CliProcess.start(tmp, "daemon", "--config", conf.toString());
            await("daemon up").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(base + "/healthz").statusCode() == 200);

            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            long runId = JSON.readTree(started.body()).get("runId").asLong();

            await("run finished").atMost(Duration.ofSeconds(60))
                    .until(() -> get(base + "/api/v1/runs/current").statusCode() == 404);
            JsonNode history = JSON.readTree(get(base + "/api/v1/runs?limit=5").body());
            JsonNode run = history.isArray() ? history.get(0) : history.get("runs").get(0);
            assertThat(run.toString()).contains(Long.toString(runId)).containsIgnoringCase("succeeded");
            assertThat(h.localExists(localOriginal("daemonMediaAAAAAAAAAAAAA"))).isFalse();
            assertThat(h.objectBytes(localOriginal("daemonMediaBBBBBBBBBBBBB"))).contains(bytes(4_000, 2));

            String metricsText = get(base + "/metrics").body();
            Scrape scrape = Scrape.parse(metricsText);
            assertThat(scrape.samples()).anySatisfy((series, value) -> {
                assertThat(series).startsWith("synapse_media_offload_files_total").contains("result=\"uploaded\"");
                assertThat(value).isEqualTo(2.0);
            });
            assertThat(scrape.samples()).anySatisfy((series, value) -> {
                assertThat(series).startsWith("synapse_media_offload_freed_bytes_total");
                assertThat(value).isEqualTo(7_000.0);
            });
            Set<String> queried = DashboardTest.queriedMetrics();
            assertThat(queried).allSatisfy(name -> assertThat(scrape.hasMetric(name))
                    .as("%s is queried by the dashboard or alerts but not exported by a real run", name).isTrue());
            assertThat(metricsText).doesNotContain(TOKEN).doesNotContain(OffloadHarness.SSE_KEY);

            ProcessHandle handle = ProcessHandle.of(daemon.pid()).orElseThrow();
            handle.destroy(); // SIGTERM
            assertThat(handle.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
            assertThat(daemon.await()).as(daemon.stderr()).isZero();
            assertThat(daemon.stderr()).contains("Stopped").doesNotContain(TOKEN).doesNotContain(server.secretKey());
        }
    }

    @Test
    void startsWithTheAdminApiOffAndStillStopsCleanly() throws Exception {
        try (S3TestServer server = S3Store.Kind.of(getClass()).open();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server)) {
            Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 4);
            Files.writeString(conf, "offload.http.port = -1\noffload.schedule.cron = \"0 0 5 1 1 ? 2099\"\n",
                    StandardOpenOption.APPEND);

            CliProcess daemon = CliProcess.start(tmp, "daemon", "--config", conf.toString());
            await("daemon up").atMost(Duration.ofSeconds(60))
                    .until(() -> daemon.stderr().contains("daemon started") || !isAlive(daemon));
            assertThat(daemon.stderr()).contains("admin API off (offload.http.port = -1)");

            ProcessHandle.of(daemon.pid()).orElseThrow().destroy(); // SIGTERM
            assertThat(daemon.await()).as(daemon.stderr()).isZero();
            assertThat(daemon.stderr()).contains("Stopped");
        }
    }

    private static boolean isAlive(CliProcess process) {
        return ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.mediaoffload.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.MetricsConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.fakes.FakeRunControl;
import org.mediaoffload.fakes.FakeRunControl.Start;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.RunPhase;
import org.mediaoffload.pipeline.RunStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AdminServerTest {
    private static final String TOKEN = "s3cr3t-admin-token-0123456789";
    private static final Instant NOW = Instant.parse("2026-11-28T05:10:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path mediaStore;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<HttpResponse<String>> responses = new ArrayList<>();
    private FakeRunControl runs;
    private OffloadMetrics metrics;
    private AdminServer server;

    @BeforeEach
    void setUp() {
        // Runs started 100 s before "now": rates and ETA are then exact.
        runs = new FakeRunControl(Clock.fixed(NOW.minusSeconds(100), ZoneOffset.UTC));
        metrics = OffloadMetrics.create(mediaStore);
        server = start(Optional.of(new Secret(TOKEN)));
    }

    @AfterEach
    void tearDown() {
        server.close();
        metrics.close();
        // Whatever the test did, the admin token must not have come back in any response.
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.body()).doesNotContain(TOKEN);
            assertThat(r.headers().map().toString()).doesNotContain(TOKEN);
        });
    }

    private AdminServer start(Optional<Secret> token) {
        return new AdminServer(new HttpConfig("127.0.0.1", 0, token), runs, metrics,
                () -> new StatusInfo(Optional.of(Instant.parse("2026-11-29T05:00:00Z")), "0 0 5 * * ? <UTC>"),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                BodyHandlers.ofString());
        responses.add(response);
        return response;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = request(path).POST(BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    @Test
    void startsARunWithTheToken() throws Exception {
        HttpResponse<String> response = post("/api/v1/runs", TOKEN, "");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("runId").asLong()).isEqualTo(42);
        assertThat(runs.starts()).containsExactly(new Start(42, "http", false));
    }

    @Test
    void startsADryRunOnRequest() throws Exception {
        HttpResponse<String> response = post("/api/v1/runs", TOKEN, "{\"dryRun\": true}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(runs.starts()).containsExactly(new Start(42, "http", true));
    }

    @Test
    void refusesASecondRunWith409() throws Exception {
        post("/api/v1/runs", TOKEN, "");
        HttpResponse<String> second = post("/api/v1/runs", TOKEN, "");

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).get("error").asString()).contains("run 42 is in progress");
        assertThat(runs.starts()).hasSize(1);
    }

    @Test
    void rejectsAMissingOrWrongToken() throws Exception {
        HttpResponse<String> missing = post("/api/v1/runs", null, "");
        HttpResponse<String> wrong = post("/api/v1/runs", TOKEN + "x", "");
        HttpResponse<String> cancel = post("/api/v1/runs/current/cancel", "nope", "");
        HttpResponse<String> basic = send(request("/api/v1/runs").POST(BodyPublishers.noBody())
                .header("Authorization", "Basic " + TOKEN));

        assertThat(List.of(missing, wrong, cancel, basic)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Bearer"));
        });
        assertThat(json(wrong).get("error").asString()).isEqualTo("wrong admin token");
        assertThat(runs.attempts()).isZero();
        assertThat(runs.cancels()).isZero();
    }

    @Test
    void refusesMutationsWhenNoTokenIsConfigured() throws Exception {
        server.close();
        server = start(Optional.empty());

        HttpResponse<String> response = post("/api/v1/runs", "anything", "");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("error").asString()).contains("offload.http.admin-token");
        assertThat(runs.attempts()).isZero();
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutAToken() {
        assertThatThrownBy(() -> new AdminServer(new HttpConfig("0.0.0.0", 0, Optional.empty()), runs, metrics,
                () -> new StatusInfo(Optional.empty(), "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offload.http.admin-token");
    }

    @Test
    void anEngineFailureIsA500WithoutDetails() throws Exception {
        runs.failNextStart(new IllegalStateException("jdbc:postgresql://db/synapse?password=hunter2 refused"));

        HttpResponse<String> response = post("/api/v1/runs", TOKEN, "");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("hunter2").contains("see the daemon's log");
    }

    @Test
    void rejectsBadBodiesWithAReason() throws Exception {
        assertThat(post("/api/v1/runs", TOKEN, "{\"dryRun\": tru").statusCode()).isEqualTo(400);
        assertThat(json(post("/api/v1/runs", TOKEN, "{\"dryRun\": tru")).get("error").asString())
                .startsWith("body is not valid JSON");
        assertThat(json(post("/api/v1/runs", TOKEN, "[true]")).get("error").asString())
                .contains("JSON object");
        assertThat(json(post("/api/v1/runs", TOKEN, "{\"dryrun\": true}")).get("error").asString())
                .contains("unknown field 'dryrun'");
        assertThat(json(post("/api/v1/runs", TOKEN, "{\"dryRun\": \"yes\"}")).get("error").asString())
                .contains("'dryRun' must be true or false");

        HttpResponse<String> tooLarge = post("/api/v1/runs", TOKEN, "{\"dryRun\": true" + " ".repeat(5000) + "}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(runs.attempts()).isZero();
    }

    @Test
    void reportsLiveProgressWithRateAndEta() throws Exception {
        assertThat(get("/api/v1/runs/current").statusCode()).isEqualTo(404);

        runs.startRun("schedule", false);
        runs.progress(RunPhase.TRANSFERRING, 40, 4000, 10, 1000, 2);
        HttpResponse<String> response = get("/api/v1/runs/current");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode p = json(response);
        assertThat(p.get("runId").asLong()).isEqualTo(42);
        assertThat(p.get("phase").asString()).isEqualTo("TRANSFERRING");
        assertThat(p.get("filesDone").asLong()).isEqualTo(10);
        assertThat(p.get("filesTotal").asLong()).isEqualTo(40);
        assertThat(p.get("bytesTotal").asLong()).isEqualTo(4000);
        assertThat(p.get("filesFailed").asLong()).isEqualTo(2);
        assertThat(p.get("bytesPerSecond").asDouble()).isEqualTo(10.0);
        assertThat(p.get("percentDone").asDouble()).isEqualTo(25.0);
        assertThat(p.get("etaSeconds").asLong()).isEqualTo(300);
        assertThat(p.get("startedAt").asString()).isEqualTo("2026-11-28T05:08:20Z");
    }

    @Test
    void unknownTotalsAreNull() throws Exception {
        runs.startRun("schedule", false);

        JsonNode p = json(get("/api/v1/runs/current"));

        assertThat(p.get("filesTotal").isNull()).isTrue();
        assertThat(p.get("etaSeconds").isNull()).isTrue();
    }

    @Test
    void cancelsTheCurrentRun() throws Exception {
        assertThat(post("/api/v1/runs/current/cancel", TOKEN, "").statusCode()).isEqualTo(404);
        runs.startRun("schedule", false);

        HttpResponse<String> response = post("/api/v1/runs/current/cancel", TOKEN, "");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("runId").asLong()).isEqualTo(42);
        assertThat(runs.history(1)).singleElement().extracting(s -> s.status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void listsHistoryNewestFirstUpToTheLimit() throws Exception {
        for (int i = 0; i < 3; i++) {
            runs.startRun("schedule", false);
            runs.finish(RunStatus.SUCCEEDED);
        }

        JsonNode all = json(get("/api/v1/runs"));
        JsonNode two = json(get("/api/v1/runs?limit=2"));

        assertThat(all.get("runs")).hasSize(3);
        assertThat(two.get("runs")).hasSize(2);
        assertThat(two.get("runs").get(0).get("runId").asLong()).isEqualTo(44);
        assertThat(two.get("runs").get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(get("/api/v1/runs?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/runs?limit=ten").statusCode()).isEqualTo(400);
    }

    @Test
    void servesPrometheusMetrics() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("synapse_media_offload_run_in_progress{dry_run=\"false\"} 0");
    }

    @Test
    void answersHealthAndReadiness() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);

        runs.notReady("cannot reach bucket 'media' at https://s3.example.com: connection refused");
        HttpResponse<String> notReady = get("/readyz");

        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(json(notReady).get("reason").asString()).contains("cannot reach bucket 'media'");
    }

    @Test
    void servesTheStatusPageWithEscapedValues() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("data-at=\"2026-11-29T05:00:00Z\"").contains("0 0 5 * * ? &lt;UTC&gt;")
                .contains("id=\"run-now\"");
    }

    @Test
    void answersUnknownPathsAndMethodsClearly() throws Exception {
        assertThat(get("/api/v1/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = send(request("/api/v1/runs/current").DELETE());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void theMetricsListenerServesOnlyMetrics() throws Exception {
        try (MetricsServer metricsServer = MetricsServer.startIfEnabled(new MetricsConfig("127.0.0.1", 0), metrics)
                .orElseThrow()) {
            String base = "http://127.0.0.1:" + metricsServer.port();
            HttpResponse<String> scrape = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET());
            HttpResponse<String> api = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs")).GET());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("synapse_media_offload_");
            assertThat(api.statusCode()).isEqualTo(404);
        }
        assertThat(MetricsServer.startIfEnabled(new MetricsConfig("127.0.0.1", -1), metrics)).isEmpty();
    }
}

package org.mediaoffload.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.OTHER_SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediaoffload.Daemon;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.ScheduleConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadConfigBuilder;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.Scrape;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon (real engine, SQLite journal, S3Proxy over HTTPS with SSE-C, its admin API on a free port) with a
 * configured target that is not the pinned one: the run is recorded as refused, the page and the gauge show it, the
 * daemon keeps serving, and POST /api/v1/target (with the token) accepts the move.
 */
class TargetDaemonTest extends EngineTestBase {
    private static final String TOKEN = "pin-admin-token-0123456789abcdef";
    private static final String GAUGE = "synapse_media_offload_target_mismatch";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String base;

    @Test
    void aMismatchedTargetIsRefusedShownAndAcceptedOverTheApi() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("daemonPinAAAAAAAAAAAAAAA", bytes(300, 1), 3 * DAY_MS);
        h.pinTarget();
        h.sseKey = Optional.of(OTHER_SSE_KEY);

        try (Daemon daemon = Daemon.start(daemonConfig(h.config()), Clock.systemUTC())) {
            base = "http://127.0.0.1:" + daemon.adminPort().getAsInt();
            assertThat(gauge()).as("known before the first run").isEqualTo(1.0);

            long runId = JSON.readTree(post("/api/v1/runs", TOKEN).body()).get("runId").asLong();
            await("run finished").atMost(Duration.ofSeconds(60))
                    .until(() -> get("/api/v1/runs/current").statusCode() == 404);

            JsonNode run = JSON.readTree(get("/api/v1/runs?limit=1").body());
            run = run.isArray() ? run.get(0) : run.get("runs").get(0);
            assertThat(run.get("runId").asLong()).isEqualTo(runId);
            assertThat(run.get("status").asString()).isEqualTo("REFUSED");
            assertThat(run.get("errors").toString()).contains("SSE-C key").contains("accept-target");
            assertThat(h.localExists(localOriginal("daemonPinAAAAAAAAAAAAAAA"))).isTrue();
            assertThat(h.bucketKeys()).isEmpty();
            assertThat(gauge()).isEqualTo(1.0);
            assertThat(get("/healthz").statusCode()).as("the daemon keeps serving").isEqualTo(200);

            String page = get("/").body();
            assertThat(page).contains("id=\"target-mismatch\" class=\"bad\" >").contains("Runs are refused")
                    .contains("Pinned target: <span id=\"pinned-target\">endpoint")
                    .contains("SSE-C key MD5 ").doesNotContain(OTHER_SSE_KEY).doesNotContain(OffloadHarness.SSE_KEY);
            JsonNode target = JSON.readTree(get("/api/v1/target").body());
            assertThat(target.get("mismatch").asBoolean()).isTrue();
            assertThat(target.get("pinned").get("sseCustomerKey").asString()).startsWith("MD5 ");
            assertThat(target.toString()).doesNotContain(OTHER_SSE_KEY).doesNotContain(OffloadHarness.SSE_KEY);

            assertThat(post("/api/v1/target", null).statusCode()).isEqualTo(401);
            assertThat(post("/api/v1/target", "wrong-token").statusCode()).isEqualTo(401);
            assertThat(h.pinnedTarget().orElseThrow().target()).isNotEqualTo(Target.of(h.s3Config()));

            HttpResponse<String> accepted = post("/api/v1/target", TOKEN);

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(accepted.body());
            assertThat(body.get("runStarted").asBoolean()).isFalse();
            assertThat(body.get("message").asString()).containsIgnoringCase("not copied");
            assertThat(h.pinnedTarget().orElseThrow().target()).isEqualTo(Target.of(h.s3Config()));
            assertThat(gauge()).isZero();
            assertThat(get("/").body()).as("the refusal is hidden once the move is accepted")
                    .contains("id=\"target-mismatch\" class=\"bad\" hidden>");

            post("/api/v1/runs", TOKEN);
            await("accepted target offloads").atMost(Duration.ofSeconds(60))
                    .until(() -> !h.localExists(localOriginal("daemonPinAAAAAAAAAAAAAAA")));
            assertThat(h.objectBytes(localOriginal("daemonPinAAAAAAAAAAAAAAA"))).contains(bytes(300, 1));
        }
    }

    private double gauge() throws Exception {
        return Scrape.parse(get("/metrics").body()).value(GAUGE).orElseThrow();
    }

    private static OffloadConfig daemonConfig(OffloadConfig c) {
        return OffloadConfigBuilder.from(c)
                .schedule(new ScheduleConfig("0 0 5 1 1 ? 2099", ZoneOffset.UTC, false, Duration.ZERO))
                .http(new HttpConfig("127.0.0.1", 0, Optional.of(new Secret(TOKEN)))).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

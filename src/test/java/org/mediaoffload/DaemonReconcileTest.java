package org.mediaoffload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.audit.AuditProgress;
import org.mediaoffload.audit.AuditRequest;
import org.mediaoffload.config.AuditConfig;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;
import org.mediaoffload.testing.Scrape;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With offload.audit.delete-orphans the daemon's audits reconcile, and GET /api/v1/audits/{id} lists what they
 * deleted, page by page. The daemon's clock runs 32 days ahead of the audit that first saw the orphans.
 */
class DaemonReconcileTest {
    private static final String TOKEN = "reconcile-admin-token-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theDaemonsAuditDeletesDueOrphansAndTheApiListsThem() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server)) {
            String orphan = localOriginal("goneAAAAAAAAAAAAAAAAAAAA");
            String orphanThumb = localThumbDir("goneAAAAAAAAAAAAAAAAAAAA") + "/32-32-image-jpeg-crop";
            String kept = localOriginal("keepBBBBBBBBBBBBBBBBBBBB");
            for (String relative : List.of(orphan, orphanThumb, kept)) {
                put(server, h, relative);
            }
            h.fixture().insertLocal("keepBBBBBBBBBBBBBBBBBBBB", 64L, System.currentTimeMillis() - OffloadHarness.HOUR_MS,
                    null, null, null);
            for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
                Files.createDirectories(h.mediaStore().resolve(top));
            }
            h.audit = new AuditConfig(AuditConfig.defaults().cron(), AuditConfig.defaults().maxDuration(), true,
                    AuditConfig.defaults().orphanGrace(), 1.0, AuditConfig.defaults().maxDeletions());
            try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests,
                    Clock.offset(Clock.systemUTC(), Duration.ofHours(1)))) {
                engine.audit().run(AuditRequest.reportOnly("first"), AuditProgress.NONE);
            }
            h.pinTarget();
            OffloadConfig base = h.config();
            OffloadConfig config = new OffloadConfig(base.mediaStorePath(), base.database(), base.selection(),
                    base.s3(), base.deleteLocal(), base.stateDir(), base.maxRunDuration(), base.journalRetention(),
                    base.schedule(), new HttpConfig("127.0.0.1", 0, Optional.of(new Secret(TOKEN))), base.metrics(),
                    base.shutdownGrace(), base.homeserverConfig(), List.of(), base.audit());

            try (Daemon daemon = Daemon.start(config, Clock.offset(Clock.systemUTC(), Duration.ofDays(32)))) {
                String api = "http://127.0.0.1:" + daemon.adminPort().getAsInt() + "/api/v1/audits";
                HttpResponse<String> started = post(api);
                assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                long id = JSON.readTree(started.body()).get("auditId").asLong();
                await("audit finished").atMost(Duration.ofSeconds(60)).until(() -> get(api + "/" + id).statusCode() == 200);

                JsonNode all = JSON.readTree(get(api + "/" + id).body());
                assertThat(all.get("audit").get("orphansDeleted").asLong()).isEqualTo(2);
                assertThat(all.get("audit").get("bytesReclaimed").asLong()).isEqualTo(128);
                assertThat(all.get("deletions")).hasSize(2).allSatisfy(d -> {
                    assertThat(d.get("state").asString()).isEqualTo("DELETED");
                    assertThat(d.get("etag").asString()).isNotBlank();
                    assertThat(d.get("auditId").asLong()).isEqualTo(id);
                });
                JsonNode first = JSON.readTree(get(api + "/" + id + "?limit=1").body());
                assertThat(first.get("deletions")).hasSize(1);
                String next = first.get("next").asString();
                assertThat(next).isEqualTo(first.get("deletions").get(0).get("key").asString());
                JsonNode second = JSON.readTree(get(api + "/" + id + "?limit=1&after="
                        + URLEncoder.encode(next, StandardCharsets.UTF_8)).body());
                assertThat(second.get("deletions")).hasSize(1);
                assertThat(second.get("deletions").get(0).get("key").asString()).isNotEqualTo(next);
                assertThat(get(api + "/" + (id + 100)).statusCode()).isEqualTo(404);
                assertThat(get(api + "/abc").statusCode()).isEqualTo(404);
                assertThat(get(api + "/" + id + "?limit=0").statusCode()).isEqualTo(400);
                assertThat(get(api + "/latest").statusCode()).isEqualTo(200);
                assertThat(get(api.replace("/api/v1/audits", "/")).body()).contains("2 orphan objects (2 deleted)");
                Scrape scrape = Scrape.parse(get(api.replace("/api/v1/audits", "/metrics")).body());
                assertThat(scrape.samples()).containsEntry("synapse_media_offload_audit_orphans_deleted", 2.0)
                        .containsEntry("synapse_media_offload_audit_reclaimed_bytes", 128.0);
            }
            assertThat(h.objectBytes(orphan)).isEmpty();
            assertThat(h.objectBytes(orphanThumb)).isEmpty();
            assertThat(h.objectBytes(kept)).isPresent();
        }
    }

    private static void put(S3ProxyServer server, OffloadHarness h, String relative) {
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
        server.adminClient().putObject(p -> p.bucket(h.bucket()).key(h.key(relative)).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()),
                RequestBody.fromBytes(bytes(64, relative.length())));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}

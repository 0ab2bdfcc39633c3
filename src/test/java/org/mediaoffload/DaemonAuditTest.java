package org.mediaoffload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.audit.AuditControl.AuditBusyException;
import org.mediaoffload.audit.AuditControl;
import org.mediaoffload.audit.AuditCoordinator;
import org.mediaoffload.audit.AuditJournal;
import org.mediaoffload.audit.AuditListener;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.config.AuditConfig;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.pipeline.ExclusiveRuns;
import org.mediaoffload.pipeline.RunControl.RunInProgressException;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.pipeline.WorkGate;
import org.mediaoffload.schedule.AuditScheduler;
import org.mediaoffload.testing.OffloadConfigBuilder;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.S3ProxyServer;
import org.mediaoffload.testing.Scrape;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The daemon's audits: never at the same time as a run, and seen through the admin API, metrics and status page. */
class DaemonAuditTest {
    private static final String TOKEN = "audit-admin-token-0123456789abcd";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Holds the requests that pass it until released (up to 60 s), counting those it holds. */
    private static final class Gate {
        volatile CountDownLatch release = new CountDownLatch(0);
        final AtomicInteger waiting = new AtomicInteger();

        void pass() {
            waiting.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    /** Holds every listing until released, so the test decides how long an audit takes. */
    private static final class GatedListing extends ForwardingBlobStore {
        static final Gate GATE = new Gate();

        GatedListing(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            GATE.pass();
            return super.list(request);
        }
    }

    @Test
    void aRunDueDuringAnAuditWaitsForItAndManualRequestsAreRefused() throws Exception {
        GatedListing.GATE.release = new CountDownLatch(1);
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(GatedListing::new).start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server);
                Engine engine = h.openEngine(RunListener.NONE)) {
            h.addLocal("waitingAAAAAAAAAAAAAAAAA", bytes(500, 1), 3 * DAY_MS);
            WorkGate gate = new WorkGate();
            try (ExclusiveRuns runs = new ExclusiveRuns(engine.coordinator(), gate);
                    AuditCoordinator audits = new AuditCoordinator(engine.audit(), engine.auditJournal(), gate,
                            AuditListener.NONE, Clock.systemUTC())) {
                long auditId = audits.startAudit("test");
                await("the audit is listing").atMost(Duration.ofSeconds(30))
                        .until(() -> GatedListing.GATE.waiting.get() > 0);

                CompletableFuture<RunSummary> scheduled = CompletableFuture.supplyAsync(
                        () -> runs.runNow("schedule", false));
                assertThatThrownBy(() -> runs.startRun("http", false)).isInstanceOf(RunInProgressException.class)
                        .hasMessageContaining("audit is in progress");
                assertThatThrownBy(() -> audits.startAudit("http")).isInstanceOf(AuditBusyException.class)
                        .hasMessageStartingWith("an audit is in progress");
                assertThat(audits.current()).contains(auditId);
                assertThat(scheduled).isNotDone();
                assertThat(engine.coordinator().current()).isEmpty();

                GatedListing.GATE.release.countDown();
                RunSummary run = scheduled.get(60, TimeUnit.SECONDS);
                AuditReport audit = audits.latest().orElseThrow();

                assertThat(audit.id()).isEqualTo(auditId);
                assertThat(audit.status()).isEqualTo(AuditReport.CLEAN);
                assertThat(run.filesUploaded()).isEqualTo(1);
                assertThat(run.startedAt()).isAfterOrEqualTo(audit.endedAt());
            }
        } finally {
            GatedListing.GATE.release.countDown();
        }
    }

    /** Holds every upload until released, so the test decides how long a run takes. */
    private static final class GatedUpload extends ForwardingBlobStore {
        static final Gate GATE = new Gate();

        GatedUpload(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
            GATE.pass();
            return super.putBlob(request, content);
        }
    }

    /** The daemon's audit schedule as it fires: counts the firings and hands them on to the real coordinator. */
    private record CountedFirings(AuditCoordinator audits, AtomicInteger fired) implements AuditControl {
        @Override
        public AuditReport runNow(String trigger) {
            fired.incrementAndGet();
            return audits.runNow(trigger);
        }

        @Override
        public long startAudit(String trigger) {
            return audits.startAudit(trigger);
        }

        @Override
        public Optional<Long> current() {
            return audits.current();
        }

        @Override
        public Optional<AuditReport> latest() {
            return audits.latest();
        }

        @Override
        public Optional<AuditReport> report(long id) {
            return audits.report(id);
        }

        @Override
        public List<AuditJournal.Deletion> deletions(long id, String afterKey, int limit) {
            return audits.deletions(id, afterKey, limit);
        }

        @Override
        public List<AuditReport> recent(int limit) {
            return audits.recent(limit);
        }
    }

    /**
     * The other way round: the audit schedule (offload.audit.cron, here every second) fires while a run is
     * uploading; the audit waits for the run's end before it starts (nothing journaled, nothing listed), then runs.
     */
    @Test
    void aScheduledAuditDueDuringARunWaitsForItsEnd() throws Exception {
        GatedUpload.GATE.release = new CountDownLatch(1);
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(GatedUpload::new).start();
                OffloadHarness h = new OffloadHarness(Db.POSTGRES, tmp, server);
                Engine engine = h.openEngine(RunListener.NONE)) {
            h.addLocal("runningAAAAAAAAAAAAAAAAA", bytes(500, 1), 3 * DAY_MS);
            WorkGate gate = new WorkGate();
            AtomicInteger fired = new AtomicInteger();
            try (ExclusiveRuns runs = new ExclusiveRuns(engine.coordinator(), gate);
                    AuditCoordinator audits = new AuditCoordinator(engine.audit(), engine.auditJournal(), gate,
                            AuditListener.NONE, Clock.systemUTC())) {
                CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> runs.runNow("schedule", false));
                await("the run is uploading").atMost(Duration.ofSeconds(30))
                        .until(() -> GatedUpload.GATE.waiting.get() > 0);

                try (AuditScheduler schedule = new AuditScheduler(new AuditConfig("* * * * * ?", Duration.ofHours(1)),
                        ZoneId.of("UTC"), new CountedFirings(audits, fired))) {
                    assertThat(schedule.nextFireTime()).isPresent();
                    await("the audit schedule fired").atMost(Duration.ofSeconds(30)).until(() -> fired.get() > 0);

                    assertThat(audits.current()).as("no audit beside the run").isEmpty();
                    assertThat(engine.auditJournal().recent(10)).isEmpty();
                    assertThat(engine.coordinator().current()).isPresent();
                    assertThat(run).isNotDone();

                    GatedUpload.GATE.release.countDown();
                    RunSummary summary = run.get(60, TimeUnit.SECONDS);
                    await("the scheduled audit finished").atMost(Duration.ofSeconds(60))
                            .until(() -> audits.latest().isPresent());
                    List<AuditReport> done = audits.recent(100);
                    AuditReport first = done.get(done.size() - 1);

                    assertThat(summary.filesUploaded()).isEqualTo(1);
                    assertThat(first.trigger()).isEqualTo("schedule");
                    assertThat(first.startedAt()).isAfterOrEqualTo(summary.endedAt());
                    assertThat(first.errors()).isEmpty();
                }
            }
        } finally {
            GatedUpload.GATE.release.countDown();
        }
    }

    /** The 409's words name what holds the slot, with its own article ("an run" before). */
    @Test
    void aRunOrAuditAskedForDuringARunIsRefusedNamingTheRun() throws Exception {
        GatedListing.GATE.release = new CountDownLatch(1);
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(GatedListing::new).start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server);
                Engine engine = h.openEngine(RunListener.NONE)) {
            h.addLocal("busyAAAAAAAAAAAAAAAAAAAA", bytes(500, 1), 3 * DAY_MS);
            WorkGate gate = new WorkGate();
            try (ExclusiveRuns runs = new ExclusiveRuns(engine.coordinator(), gate);
                    AuditCoordinator audits = new AuditCoordinator(engine.audit(), engine.auditJournal(), gate,
                            AuditListener.NONE, Clock.systemUTC())) {
                runs.startRun("http", false);
                await("the run is listing").atMost(Duration.ofSeconds(30))
                        .until(() -> GatedListing.GATE.waiting.get() > 0);

                assertThatThrownBy(() -> runs.startRun("http", false)).isInstanceOf(RunInProgressException.class)
                        .hasMessage("a run is in progress; try again when it has finished");
                assertThatThrownBy(() -> audits.startAudit("http")).isInstanceOf(AuditBusyException.class)
                        .hasMessage("a run is in progress; try again when it has finished");

                GatedListing.GATE.release.countDown();
                assertThat(engine.coordinator().awaitIdle(Duration.ofSeconds(60))).isTrue();
            }
        } finally {
            GatedListing.GATE.release.countDown();
        }
    }

    @Test
    void theAdminApiStartsAuditsAndMetricsAndTheStatusPageShowTheLastOne() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start();
                OffloadHarness h = new OffloadHarness(Db.POSTGRES, tmp, server)) {
            h.quietPeriod = Duration.ZERO;
            server.adminClient().putObject(p -> p.bucket(h.bucket()).key(localOriginal("orphanAAAAAAAAAAAAAAAAAA"))
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(h.s3Config().sseCustomerKey().orElseThrow()
                            .keyBase64()).sseCustomerKeyMD5(h.s3Config().sseCustomerKey().orElseThrow().keyMd5Base64()),
                    RequestBody.fromBytes(bytes(1234, 1)));
            OffloadConfig config = OffloadConfigBuilder.from(h.config())
                    .http(new HttpConfig("127.0.0.1", 0, Optional.of(new Secret(TOKEN)))).build();
            try (Daemon daemon = Daemon.start(config, Clock.systemUTC())) {
                String api = "http://127.0.0.1:" + daemon.adminPort().getAsInt();
                assertThat(get(api + "/api/v1/audits/latest").statusCode()).isEqualTo(404);
                assertThat(post(api + "/api/v1/audits", null).statusCode()).isEqualTo(401);

                HttpResponse<String> started = post(api + "/api/v1/audits", TOKEN);
                assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                long id = JSON.readTree(started.body()).get("auditId").asLong();
                await("audit finished").atMost(Duration.ofSeconds(60))
                        .until(() -> get(api + "/api/v1/audits/latest").statusCode() == 200);

                JsonNode latest = JSON.readTree(get(api + "/api/v1/audits/latest").body());
                assertThat(latest.get("id").asLong()).isEqualTo(id);
                assertThat(latest.get("orphanObjects").asLong()).isEqualTo(1);
                assertThat(latest.get("orphanBytes").asLong()).isEqualTo(1234);
                JsonNode list = JSON.readTree(get(api + "/api/v1/audits?limit=5").body());
                assertThat(list.get("audits")).hasSize(1);
                assertThat(get(api + "/api/v1/audits?limit=0").statusCode()).isEqualTo(400);

                Scrape scrape = Scrape.parse(get(api + "/metrics").body());
                assertThat(scrape.samples()).anySatisfy((series, value) -> {
                    assertThat(series).startsWith("synapse_media_offload_audit_objects").contains("class=\"orphan\"");
                    assertThat(value).isEqualTo(1.0);
                });
                assertThat(scrape.samples()).anySatisfy((series, value) -> {
                    assertThat(series).startsWith("synapse_media_offload_audit_bytes").contains("class=\"orphan\"");
                    assertThat(value).isEqualTo(1234.0);
                });
                assertThat(scrape.samples()).anySatisfy((series, value) -> {
                    assertThat(series).startsWith("synapse_media_offload_audit_last_success_timestamp_seconds");
                    assertThat(value).isGreaterThan(0.0);
                });
                assertThat(get(api + "/").body()).contains("Last audit:").contains("1 orphan objects");
            }
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

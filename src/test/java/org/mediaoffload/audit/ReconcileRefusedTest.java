package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.Engine;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;

/**
 * Reconciles that must not delete: credentials without s3:DeleteObject (the reconcile journals the refusal, stops,
 * says why, and keeps everything), and a target that is not pinned (refused before anything is read).
 */
class ReconcileRefusedTest {
    @TempDir
    Path tmp;

    private static final class NoDelete extends ForwardingBlobStore {
        NoDelete(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
            throw new S3ProxyException(S3ErrorCode.ACCESS_DENIED);
        }
    }

    @Test
    void aRefusedDeleteObjectsIsJournaledAsFailedAndStopsTheReconcile() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(NoDelete::new).start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server)) {
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
            List<String> objects = List.of(localOriginal("goneAAAAAAAAAAAAAAAAAAAA"),
                    localThumbDir("goneAAAAAAAAAAAAAAAAAAAA") + "/32-32-image-jpeg-crop");
            for (String relative : objects) {
                server.adminClient().putObject(p -> p.bucket(h.bucket()).key(h.key(relative))
                        .sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64())
                        .sseCustomerKeyMD5(key.keyMd5Base64()), RequestBody.fromBytes(bytes(40, relative.length())));
            }
            for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
                Files.createDirectories(h.mediaStore().resolve(top));
            }
            AuditRequest delete = new AuditRequest("test", 0, false, Optional.empty(), false, true,
                    OptionalDouble.of(1.0));
            audit(h, Duration.ofHours(1), delete);

            AuditReport r = audit(h, Duration.ofDays(32), delete);

            assertThat(r.orphansDeleted()).isZero();
            assertThat(r.reconcile().failed()).isEqualTo(2);
            assertThat(r.errors()).singleElement().asString().contains("HTTP 403").contains("s3:DeleteObject")
                    .contains(AuditJournal.Deletion.FAILED);
            try (AuditJournal journal = AuditJournal.open(h.stateDir())) {
                assertThat(journal.deletions(r.id(), "", 10)).hasSize(2).allSatisfy(d -> {
                    assertThat(d.state()).isEqualTo(AuditJournal.Deletion.FAILED);
                    assertThat(d.error()).contains("403");
                });
            }
            for (String relative : objects) {
                assertThat(h.objectBytes(relative)).as(relative).isPresent();
            }
        }
    }

    @Test
    void aReconcileWithoutAPinnedTargetIsRefusedNamingTheWaysToPinIt() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server)) {
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
            String orphan = localOriginal("goneAAAAAAAAAAAAAAAAAAAA");
            server.adminClient().putObject(p -> p.bucket(h.bucket()).key(h.key(orphan)).sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()),
                    RequestBody.fromBytes(bytes(40, 1)));
            for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
                Files.createDirectories(h.mediaStore().resolve(top));
            }
            AuditRequest delete = new AuditRequest("test", 0, false, Optional.empty(), false, true,
                    OptionalDouble.of(1.0));
            AuditRequest dryRun = new AuditRequest("test", 0, false, Optional.empty(), true, true,
                    OptionalDouble.of(1.0));
            // Without a pin an audit that only reports runs (and sees the orphan twice, past the grace)...
            assertThat(unpinnedAudit(h, Duration.ofHours(1), AuditRequest.reportOnly("test")).orphanObjects())
                    .isEqualTo(1);
            assertThat(unpinnedAudit(h, Duration.ofDays(31), AuditRequest.reportOnly("test")).status())
                    .isEqualTo(AuditReport.CLEAN);

            // ...but one asked to reconcile, dry run or not, is refused before it reads anything.
            for (AuditRequest request : List.of(delete, dryRun)) {
                AuditReport refused = unpinnedAudit(h, Duration.ofDays(32), request);
                assertThat(refused.status()).isEqualTo(AuditReport.REFUSED);
                assertThat(refused.exitCode()).isEqualTo(2);
                assertThat(refused.objectsAudited()).isZero();
                assertThat(refused.orphansDeleted()).isZero();
                assertThat(refused.errors()).singleElement().asString().contains("--delete-orphans")
                        .contains("no target is pinned").contains("check-config").contains("accept-target")
                        .doesNotContain(OffloadHarness.SSE_KEY);
            }
            assertThat(h.objectBytes(orphan)).isPresent();
            assertThat(h.pinnedTarget()).as("a refused audit pins nothing").isEmpty();

            // Pinned (as accept-target does), the same reconcile deletes the orphan: the pin was all that was missing.
            AuditReport pinned = audit(h, Duration.ofDays(32).plusHours(1), delete);
            assertThat(pinned.errors()).isEmpty();
            assertThat(pinned.orphansDeleted()).isEqualTo(1);
            assertThat(h.objectBytes(orphan)).isEmpty();
        }
    }

    private static AuditReport unpinnedAudit(OffloadHarness h, Duration ahead, AuditRequest request) {
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests,
                Clock.offset(Clock.systemUTC(), ahead))) {
            return engine.audit().run(request, AuditProgress.NONE);
        }
    }

    private static AuditReport audit(OffloadHarness h, Duration ahead, AuditRequest request) {
        if (request.deleteOrphans() && h.pinnedTarget().isEmpty()) {
            h.pinTarget();
        }
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests,
                Clock.offset(Clock.systemUTC(), ahead))) {
            return engine.audit().run(request, AuditProgress.NONE);
        }
    }
}

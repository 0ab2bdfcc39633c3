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
import java.util.stream.Stream;
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
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The bucket listing runs beside the database scan and is spooled to disk; a listing that fails part-way (here the
 * remote media tree's range, after the local trees listed fine) makes the audit incomplete, and an incomplete audit
 * deletes nothing, even orphans that qualify.
 */
class AuditListingFailureTest {
    @TempDir
    Path tmp;

    /** While {@code failing}, every listing of the remote media tree fails with a 500 (after the SDK's retries). */
    private static final class FailingRemoteListing extends ForwardingBlobStore {
        volatile boolean failing;

        FailingRemoteListing(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            if (failing && request.prefix() != null && request.prefix().endsWith(MediaStoreLayout.REMOTE_CONTENT + "/")) {
                throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR);
            }
            return super.list(request);
        }
    }

    @Test
    void aListingThatFailsPartWayMakesTheAuditIncompleteAndDeletesNothing() throws Exception {
        FailingRemoteListing[] store = new FailingRemoteListing[1];
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(s -> {
            store[0] = new FailingRemoteListing(s);
            return store[0];
        }).start(); OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server)) {
            // Two orphans of one purged media (local trees, listed before the failing range) and a remote object.
            List<String> orphans = List.of(localOriginal("goneAAAAAAAAAAAAAAAAAAAA"),
                    localThumbDir("goneAAAAAAAAAAAAAAAAAAAA") + "/32-32-image-jpeg-crop");
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
            for (String relative : Stream.concat(orphans.stream(),
                    Stream.of(OffloadHarness.remoteOriginal("remote.example", "fineBBBBBBBBBBBBBBBBBBBB"))).toList()) {
                server.adminClient().putObject(p -> p.bucket(h.bucket()).key(h.key(relative))
                        .sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64())
                        .sseCustomerKeyMD5(key.keyMd5Base64()), RequestBody.fromBytes(bytes(40, relative.length())));
            }
            h.fixture().insertRemote("remote.example", "theirId", "fineBBBBBBBBBBBBBBBBBBBB", 40L,
                    System.currentTimeMillis(), System.currentTimeMillis(), null);
            for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
                Files.createDirectories(h.mediaStore().resolve(top));
            }
            h.pinTarget();
            AuditRequest delete = new AuditRequest("test", 0, false, Optional.empty(), false, true,
                    OptionalDouble.of(1.0));
            // Seen as orphans twice, the second time past the grace: the next reconcile may delete them...
            assertThat(audit(h, Duration.ofHours(1), AuditRequest.reportOnly("test")).orphanObjects()).isEqualTo(2);
            assertThat(audit(h, Duration.ofDays(31), AuditRequest.reportOnly("test")).orphanObjects()).isEqualTo(2);

            // ...but not when the bucket listing fails part-way.
            store[0].failing = true;
            AuditReport failed = audit(h, Duration.ofDays(32), delete);

            assertThat(failed.status()).isEqualTo(AuditReport.INCOMPLETE);
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.errors()).isNotEmpty().anySatisfy(e -> assertThat(e).contains("500"));
            assertThat(failed.orphansDeleted()).isZero();
            assertThat(failed.reconcile().objectsDeleted()).isZero();
            for (String relative : orphans) {
                assertThat(h.objectBytes(relative)).as(relative).isPresent();
            }
            try (AuditJournal journal = AuditJournal.open(h.stateDir())) {
                assertThat(journal.deletions(failed.id(), "", 10)).isEmpty();
            }
            try (Stream<Path> left = Files.list(h.stateDir().resolve("audit-sort"))) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no spool or sort file left behind")
                        .noneMatch(name -> name.startsWith("listing-") || name.startsWith("run-"));
            }

            // The failure was all that stopped it: listed in full again, the same reconcile deletes both.
            store[0].failing = false;
            AuditReport again = audit(h, Duration.ofDays(32).plusHours(1), delete);
            assertThat(again.errors()).isEmpty();
            assertThat(again.orphansDeleted()).isEqualTo(2);
        }
    }

    private static AuditReport audit(OffloadHarness h, Duration ahead, AuditRequest request) {
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests,
                Clock.offset(Clock.systemUTC(), ahead))) {
            return engine.audit().run(request, AuditProgress.NONE);
        }
    }
}

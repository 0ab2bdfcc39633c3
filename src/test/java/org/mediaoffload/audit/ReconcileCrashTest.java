package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.Engine;
import org.mediaoffload.audit.AuditJournal.Deletion;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * kill -9 of {@code audit --delete-orphans} while a DeleteObjects is half done: every object gone from the bucket
 * has a journal row, no object of a media with a row is touched, and the next audit finishes the job and marks the
 * killed audit's pending rows as interrupted.
 */
class ReconcileCrashTest {
    private static final int DELETED_BEFORE_HOLD = 5;

    @TempDir
    Path tmp;

    /** The first DeleteObjects deletes a few keys, then hangs until released: the kill lands inside it. */
    private static final class HeldDeletes extends ForwardingBlobStore {
        static final AtomicBoolean hold = new AtomicBoolean(true);
        static final AtomicBoolean holding = new AtomicBoolean();
        static final CountDownLatch release = new CountDownLatch(1);

        HeldDeletes(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
            if (!hold.get()) {
                return super.removeBlobs(request);
            }
            List<ObjectIdentifier> some = request.delete().objects().subList(0, DELETED_BEFORE_HOLD);
            DeleteObjectsResponse partial = super.removeBlobs(
                    request.toBuilder().delete(request.delete().toBuilder().objects(some).build()).build());
            holding.set(true);
            try {
                release.await(3, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return partial;
        }
    }

    @Test
    void aReconcileKilledMidDeletionLeavesAConsistentJournalAndNoWrongDeletion() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(HeldDeletes::new).start();
                OffloadHarness h = new OffloadHarness(Db.POSTGRES, tmp, server)) {
            // Real time in the child: no quiet period, so objects written before it starts are judged.
            h.quietPeriod = Duration.ZERO;
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
            List<String> kept = new ArrayList<>();
            Map<String, String> orphans = new LinkedHashMap<>();
            for (int i = 0; i < 22; i++) {
                boolean withRow = i < 10;
                String id = String.format(withRow ? "keep%020d" : "gone%020d", i);
                for (String relative : List.of(localOriginal(id), localThumbDir(id) + "/32-32-image-jpeg-crop")) {
                    server.adminClient().putObject(p -> p.bucket(h.bucket()).key(h.key(relative))
                            .sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64())
                            .sseCustomerKeyMD5(key.keyMd5Base64()), RequestBody.fromBytes(bytes(50, relative.length())));
                    if (withRow) {
                        kept.add(h.key(relative));
                    } else {
                        orphans.put(h.key(relative), id);
                    }
                }
                if (withRow) {
                    h.fixture().insertLocal(id, 50L, System.currentTimeMillis() - OffloadHarness.HOUR_MS, null, null,
                            null);
                    h.fixture().update("INSERT INTO local_media_repository_thumbnails VALUES (?, 32, 32,"
                            + " 'image/jpeg', 'crop', 50)", id);
                }
            }
            for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
                Files.createDirectories(h.mediaStore().resolve(top));
            }
            seedEarlierSighting(h, server, orphans);
            h.pinTarget();
            Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

            CliProcess cli = CliProcess.start(tmp, "audit", "--delete-orphans", "--max-orphan-fraction", "1",
                    "--json", "--config", conf.toString());
            await("a DeleteObjects half done").atMost(Duration.ofMinutes(2)).until(() -> HeldDeletes.holding.get()
                    || !cli.stderr().isEmpty() && cli.stderr().contains("Exception in thread"));
            cli.kill();
            HeldDeletes.hold.set(false);
            HeldDeletes.release.countDown();

            Set<String> left = keys(server, h);
            assertThat(left).as("no object of a media with a row is touched").containsAll(kept);
            List<String> gone = orphans.keySet().stream().filter(k -> !left.contains(k)).toList();
            assertThat(gone).hasSize(DELETED_BEFORE_HOLD);
            List<Deletion> journaled;
            long killedAudit;
            try (AuditJournal journal = AuditJournal.open(h.stateDir())) {
                killedAudit = journal.lastOrphanAudit();
                journaled = journal.deletions(killedAudit, "", 1000);
            }
            assertThat(journaled).extracting(Deletion::key).as("journaled before it was sent")
                    .containsAll(gone).isSubsetOf(orphans.keySet());
            assertThat(journaled).extracting(Deletion::state).containsOnly(Deletion.PENDING);

            AuditReport next;
            try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests,
                    Clock.offset(Clock.systemUTC(), Duration.ofHours(1)))) {
                next = engine.audit().run(new AuditRequest("test", 0, false, Optional.empty(), false, true,
                        OptionalDouble.of(1.0)), AuditProgress.NONE);
                assertThat(engine.auditJournal().deletions(killedAudit, "", 1000)).extracting(Deletion::state)
                        .containsOnly(Deletion.INTERRUPTED);
            }
            assertThat(next.errors()).isEmpty();
            assertThat(next.orphansDeleted()).isEqualTo(orphans.size() - DELETED_BEFORE_HOLD);
            assertThat(keys(server, h)).containsExactlyInAnyOrderElementsOf(kept);
        }
    }

    /** As an audit 40 days ago would have left the ledger: every orphan seen once, with the ETag it still has. */
    private static void seedEarlierSighting(OffloadHarness h, S3ProxyServer server, Map<String, String> orphans) {
        Instant past = Instant.now().minus(Duration.ofDays(40));
        List<AuditJournal.SeenOrphan> seen = new ArrayList<>();
        for (S3Object o : server.adminClient().listObjectsV2Paginator(b -> b.bucket(h.bucket())).contents()) {
            String mediaId = orphans.get(o.key());
            if (mediaId != null) {
                seen.add(new AuditJournal.SeenOrphan(new AuditBucket.BucketObject(o.key(), o.size(), o.eTag(),
                        o.lastModified()), OrphanLedger.media(new DiskMediaId(MediaKind.LOCAL, "", mediaId))));
            }
        }
        try (AuditJournal journal = AuditJournal.open(h.stateDir())) {
            long seed = journal.started("seed", past);
            journal.orphansSeen(seed, 0, seen, past);
        }
    }

    private static Set<String> keys(S3ProxyServer server, OffloadHarness h) {
        Set<String> keys = new TreeSet<>();
        server.adminClient().listObjectsV2Paginator(b -> b.bucket(h.bucket())).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }
}

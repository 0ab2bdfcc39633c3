package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.catalog.SynapseCatalogs;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.s3.S3BucketAnswers;
import org.mediaoffload.store.SynapseMediaStore;
import org.mediaoffload.testing.InMemoryObjectStore;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3Store;
import org.mediaoffload.testing.S3TestServer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The run's decisions and its pipeline, fast: a real SQLite Synapse database, real files and the real journal, with
 * the bucket in memory ({@link InMemoryObjectStore}), so request counts and orderings are exact.
 */
class OffloadPipelineTest {
    @TempDir
    Path tmp;

    private OffloadHarness h;
    private InMemoryObjectStore store;

    private void harness() {
        h = new OffloadHarness(Db.SQLITE, tmp, new NoServer());
        h.concurrency = Optional.of(4);
        store = InMemoryObjectStore.forConfig(h.s3Config());
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aFirstMigrationIntoAnEmptyBucketSendsOnePutPerFileAndAlmostNothingElse() throws Exception {
        harness();
        int media = 150;
        for (int i = 0; i < media; i++) {
            String id = String.format("first%03dXXXXXXXXXXXXXXXX", i);
            h.addLocal(id, bytes(200 + i, i), 3 * DAY_MS);
            h.writeFile(localThumbDir(id) + "/32-32-image-png", bytes(20 + i, 1_000 + i));
        }

        RunSummary summary = run(RunListener.NONE);

        long files = 2L * media;
        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(summary.filesDeleted()).isEqualTo(files);
        assertThat(store.requests(InMemoryObjectStore.PUT)).isEqualTo(files);
        // One listing answered every key before upload: nothing needed a HEAD, before or after.
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isZero();
        assertThat(store.totalRequests()).as("%s", store.requestLog().stream()
                .filter(r -> !r.operation().equals(InMemoryObjectStore.PUT)).toList())
                .isLessThanOrEqualTo(Math.round(files * 1.05));
        System.out.printf("first migration, %d files: %d requests (%d LIST)%n", files, store.totalRequests(),
                store.requests(InMemoryObjectStore.LIST));
        for (int i = 0; i < media; i++) {
            String id = String.format("first%03dXXXXXXXXXXXXXXXX", i);
            assertThat(store.bytes(localOriginal(id))).contains(bytes(200 + i, i));
        }
    }

    /**
     * The first media's PUT is held, before it reaches the bucket or after (the object stored, the answer not yet
     * returned): its neighbours are verified meanwhile (no barrier between batches), and it is not, though the
     * verification listings may show its object (a listing proves only keys whose PUT had returned before it).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void laterMediaAreVerifiedWhileAnEarlierUploadIsStillInFlight(boolean stored) throws Exception {
        harness();
        int media = 40;
        for (int i = 0; i < media; i++) {
            h.addLocal(String.format("flight%02dXXXXXXXXXXXXXXXX", i), bytes(300, i), 3 * DAY_MS);
        }
        String held = localOriginal("flight00XXXXXXXXXXXXXXXX");
        CountDownLatch release = new CountDownLatch(1);
        java.util.function.Consumer<InMemoryObjectStore.Request> hold = r -> {
            if (r.operation().equals(InMemoryObjectStore.PUT) && r.key().equals(held)) {
                awaitQuietly(release);
            }
        };
        if (stored) {
            store.onResponse(hold);
        } else {
            store.onRequest(hold);
        }
        AtomicLong verified = new AtomicLong();
        RunListener counting = new RunListener() {
            @Override
            public void fileFinished(FileOutcome outcome, long bytes) {
                if (outcome == FileOutcome.UPLOADED) {
                    verified.incrementAndGet();
                }
            }
        };

        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(h.stateDir());
                MediaCatalog catalog = SynapseCatalogs.open(h.databaseConfig());
                RunCoordinator coordinator = coordinator(journal, catalog, counting)) {
            coordinator.startRun("test", false);
            // The first media's PUT is held: with a barrier between batches, its neighbours' verification would wait.
            await("every other media verified while the first upload is in flight").atMost(Duration.ofSeconds(30))
                    .until(() -> verified.get() == media - 1);
            if (stored) {
                assertThat(store.bytes(held)).as("the held object is in the bucket already").isPresent();
            }
            assertThat(h.localExists(held)).isTrue();
            release.countDown();
            assertThat(coordinator.awaitIdle(Duration.ofSeconds(30))).isTrue();
            RunSummary summary = coordinator.history(1).get(0);
            assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(summary.filesDeleted()).isEqualTo(media);
        } finally {
            release.countDown();
        }
        assertThat(verified.get()).isEqualTo(media);
        assertThat(h.localExists(held)).isFalse();
    }

    @Test
    void existingObjectsAreReplacedKeptOrRefusedAsTheDecisionTableSays() throws Exception {
        harness();
        byte[] same = bytes(1_000, 1);
        byte[] longer = bytes(2_000, 2);
        byte[] thumb = bytes(100, 6);
        h.addLocal("sameSizeMMMMMMMMMMMMMMMM", same, 3 * DAY_MS);
        h.addLocal("otherSizeNNNNNNNNNNNNNNN", longer, 3 * DAY_MS);
        h.addLocal("otherKeyPPPPPPPPPPPPPPPP", bytes(300, 4), 3 * DAY_MS);
        h.addLocal("thumbSizeQQQQQQQQQQQQQQQ", bytes(400, 5), 3 * DAY_MS);
        h.writeFile(localThumbDir("thumbSizeQQQQQQQQQQQQQQQ") + "/32-32-image-png", thumb);
        store.seed(localOriginal("sameSizeMMMMMMMMMMMMMMMM"), same.clone());
        store.seed(localOriginal("otherSizeNNNNNNNNNNNNNNN"), bytes(10, 5));
        store.seed(store.object(localOriginal("otherKeyPPPPPPPPPPPPPPPP"), bytes(300, 4))
                .encryptedWith("another-key-0123456789abcdefABCD"));
        store.seed(localThumbDir("thumbSizeQQQQQQQQQQQQQQQ") + "/32-32-image-png", bytes(99, 7));

        RunSummary summary = run(RunListener.NONE);

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        // Same size proves nothing without a content proof: uploaded again. An original of another size: replaced
        // (the database confirms its size). The thumbnail of the media whose thumbnail differs: its original goes.
        assertThat(store.requests(InMemoryObjectStore.PUT)).isEqualTo(3);
        assertThat(h.localExists(localOriginal("sameSizeMMMMMMMMMMMMMMMM"))).isFalse();
        assertThat(store.bytes(localOriginal("otherSizeNNNNNNNNNNNNNNN"))).contains(longer);
        assertThat(h.localExists(localOriginal("otherSizeNNNNNNNNNNNNNNN"))).isFalse();
        // Another key's object: Synapse cannot read it, and it is not ours to overwrite.
        assertThat(h.localExists(localOriginal("otherKeyPPPPPPPPPPPPPPPP"))).isTrue();
        assertThat(summary.errors()).anyMatch(e -> e.contains("does not decrypt with our SSE-C key"));
        // A thumbnail of another size is kept, the bucket's copy left alone.
        assertThat(h.localExists(localThumbDir("thumbSizeQQQQQQQQQQQQQQQ") + "/32-32-image-png")).isTrue();
        assertThat(store.bytes(localThumbDir("thumbSizeQQQQQQQQQQQQQQQ") + "/32-32-image-png")).contains(bytes(99, 7));
        assertThat(summary.filesFailed()).isEqualTo(1);
        assertThat(summary.filesSkipped()).isEqualTo(1);
        assertThat(summary.filesDeleted()).isEqualTo(3);
    }

    private RunSummary run(RunListener listener) {
        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(h.stateDir());
                MediaCatalog catalog = SynapseCatalogs.open(h.databaseConfig());
                RunCoordinator coordinator = coordinator(journal, catalog, listener)) {
            return coordinator.runNow("test", false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private RunCoordinator coordinator(OffloadJournal journal, MediaCatalog catalog, RunListener listener) {
        RunGate gate = dryRun -> new RunGate.Verdict(Optional.empty(), true, h.rewriteUnreadable, List.of(), () -> {});
        return new RunCoordinator(h.config(), catalog, store, S3BucketAnswers.factory(store, h.prefix), journal,
                new SynapseMediaStore(h.mediaStore()), gate, listener, Clock.systemUTC());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The harness wants a server for its S3 settings; the bucket here is in memory, so nothing is ever sent. */
    private static final class NoServer implements S3TestServer {
        @Override
        public S3Store.Kind kind() {
            return S3Store.Kind.S3PROXY;
        }

        @Override
        public URI endpoint() {
            return URI.create("https://127.0.0.1:9");
        }

        @Override
        public Access access() {
            return new Access("in-memory", "in-memory", Path.of("in-memory.pem"));
        }

        @Override
        public void createBucket(String name) {}

        @Override
        public S3Client adminClient() {
            throw new UnsupportedOperationException("the bucket is in memory");
        }

        @Override
        public void close() {}
    }
}

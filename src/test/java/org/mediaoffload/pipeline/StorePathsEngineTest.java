package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Files and directories swapped after the scan, while the run is busy with another file of the same media: reads and
 * deletions never leave the store, and a file rewritten in place is kept. One transfer thread, and the server holds the
 * PUT of the media's large thumbnail until the test has made its change, so the window is as wide as the test needs.
 */
class StorePathsEngineTest {
    private static final String MEDIA = "swapTargetMediaAAAAAAAAA";
    private static final String BIG = localThumbDir(MEDIA) + "/1-1-big-image-png";
    private static final String SMALL = localThumbDir(MEDIA) + "/2-2-small-image-png";
    /** Above the 1 MiB in-memory limit: hashed, then streamed and re-opened per attempt. */
    private static final int BIG_SIZE = (1 << 20) + 4096;

    private static final HeldPut held = new HeldPut();
    private static S3ProxyServer server;

    @TempDir
    Path tmp;

    private OffloadHarness h;
    private byte[] original;
    private byte[] big;
    private byte[] small;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.builder().middleware(store -> new HoldingStore(store, held)).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void arm() {
        held.arm(BIG);
    }

    @AfterEach
    void close() throws Exception {
        held.release();
        if (h != null) {
            h.close();
        }
    }

    private void store(Db db) throws Exception {
        h = new OffloadHarness(db, tmp, server);
        h.concurrency = Optional.of(1);
        original = bytes(3_000, 1);
        big = bytes(BIG_SIZE, 2);
        small = bytes(2_000, 3);
        h.addLocal(MEDIA, original, 3 * DAY_MS);
        h.writeFile(BIG, big);
        h.writeFile(SMALL, small);
    }

    /** Runs in the background, waits until the server holds the big thumbnail's PUT, does {@code change}, lets go. */
    private RunSummary runChangingMidway(ThrowingRunnable change) throws Exception {
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> h.run());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> held.seen() || run.isDone());
        assertThat(held.seen()).as("the run reached the big thumbnail's PUT; it ended with %s",
                run.isDone() ? run.get().errors() : "").isTrue();
        change.run();
        held.release();
        return run.get(2, TimeUnit.MINUTES);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aThumbnailDirectorySwappedForASymlinkAfterTheScanIsNeverRead(Db db) throws Exception {
        store(db);
        Path outside = Files.createDirectories(tmp.resolve("outside-thumbs"));
        byte[] secretBig = bytes(BIG_SIZE, 20);
        byte[] secretSmall = bytes(2_000, 21);
        Files.write(outside.resolve("1-1-big-image-png"), secretBig);
        Files.write(outside.resolve("2-2-small-image-png"), secretSmall);
        Path thumbs = h.mediaStore().resolve(localThumbDir(MEDIA));

        RunSummary summary = runChangingMidway(() -> {
            Files.move(thumbs, tmp.resolve("moved-away"));
            Files.createSymbolicLink(thumbs, outside);
        });

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(summary.status().exitCode()).isNotZero();
        assertThat(h.objectBytes(SMALL)).as("never uploaded from outside").isEmpty();
        // The big thumbnail's PUT was under way when the swap came: what it sent is the genuine file (still open),
        // and the check after the upload fails it all the same.
        assertThat(h.objectBytes(BIG)).hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
        assertThat(summary.errors()).anyMatch(e -> e.contains(SMALL) && e.contains("symlink"));
        assertThat(summary.errors()).anyMatch(e -> e.contains(BIG) && e.contains("symlink"));
        assertThat(Files.readAllBytes(outside.resolve("1-1-big-image-png"))).isEqualTo(secretBig);
        assertThat(Files.readAllBytes(outside.resolve("2-2-small-image-png"))).isEqualTo(secretSmall);
        assertThat(Files.readAllBytes(tmp.resolve("moved-away/2-2-small-image-png"))).isEqualTo(small);
    }

    @Test
    void aThumbnailFileSwappedForASymlinkAfterTheScanIsNeverRead() throws Exception {
        store(Db.SQLITE);
        Path secret = Files.write(tmp.resolve("secret"), bytes(2_000, 30));
        Path smallFile = h.mediaStore().resolve(SMALL);

        RunSummary summary = runChangingMidway(() -> {
            Files.delete(smallFile);
            Files.createSymbolicLink(smallFile, secret);
        });

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(h.objectBytes(SMALL)).as("never uploaded from outside").isEmpty();
        assertThat(h.objectBytes(BIG)).contains(big);
        assertThat(h.objectBytes(localOriginal(MEDIA))).contains(original);
        assertThat(summary.errors()).anyMatch(e -> e.contains(SMALL) && e.contains("symlink"));
        assertThat(Files.readAllBytes(secret)).isEqualTo(bytes(2_000, 30));
        assertThat(smallFile).isSymbolicLink();
        assertThat(h.localExists(BIG)).as("verified, so deleted").isFalse();
    }

    @Test
    void anOriginalRewrittenInPlaceWithItsMtimeRestoredAfterItsUploadIsKept() throws Exception {
        store(Db.SQLITE);
        Path file = h.mediaStore().resolve(localOriginal(MEDIA));
        FileTime mtime = Files.getLastModifiedTime(file);
        FileTime ctime = ctime(file);
        byte[] rewritten = bytes(original.length, 40);

        RunSummary summary = runChangingMidway(() -> {
            // The original is uploaded (its PUT came before the held one); now another content, same size, same
            // mtime. Setting the mtime again until the kernel's coarse clock has ticked makes the ctime differ, as
            // it does for any rewrite later than the scan.
            Files.write(file, rewritten);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                Files.setLastModifiedTime(file, mtime);
                return !ctime(file).equals(ctime);
            });
        });

        assertThat(Files.size(file)).isEqualTo(original.length);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
        assertThat(h.objectBytes(localOriginal(MEDIA))).contains(original);
        assertThat(Files.readAllBytes(file)).as("kept").isEqualTo(rewritten);
        assertThat(summary.errors()).anyMatch(e -> e.contains(localOriginal(MEDIA)) && e.contains("changed"));
        assertThat(h.localExists(BIG)).as("the rest of the media was verified and deleted").isFalse();
    }

    @Test
    void aSymlinkedDirectoryOnAMediasPathAtTheScanFailsTheMediaAndNothingBelowItIsRead() throws Exception {
        h = new OffloadHarness(Db.SQLITE, tmp, server);
        String media = "linkedDirMediaBBBBBBBBBB";
        h.fixture().insertLocal(media, 100L, System.currentTimeMillis() - 3 * DAY_MS, null, null, null);
        h.writeFile(localThumbDir(media) + "/32-32-image-png", bytes(50, 60));
        Path outside = Files.createDirectories(tmp.resolve("outside/" + media.substring(2, 4)));
        Files.write(outside.resolve(media.substring(4)), bytes(100, 61));
        Files.createDirectories(h.mediaStore().resolve("local_content"));
        Files.createSymbolicLink(h.mediaStore().resolve("local_content/" + media.substring(0, 2)),
                tmp.resolve("outside"));

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(summary.errors()).anyMatch(e -> e.contains(media) && e.contains("symlink"));
        assertThat(h.bucketKeys()).isEmpty();
        assertThat(outside.resolve(media.substring(4))).hasBinaryContent(bytes(100, 61));
        assertThat(h.localExists(localThumbDir(media) + "/32-32-image-png")).isTrue();
    }

    @Test
    void aNewlineInAFileNameGivesOneEscapedLogLine() throws Exception {
        store(Db.SQLITE);
        String forged = "09:00:00.000 INFO  [offload-transfer-1] o.m.p.DeletionStage - all media deleted";
        String name = localThumbDir(MEDIA) + "/3-3-x\n" + forged;
        Path file = h.writeFile(name, bytes(100, 50));
        Path secret = Files.write(tmp.resolve("secret"), bytes(100, 51));
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        events.start();
        root.addAppender(events);
        try {
            // Swapped for a symlink, so the file fails and is logged at WARN with its name.
            runChangingMidway(() -> {
                Files.delete(file);
                Files.createSymbolicLink(file, secret);
            });
        } finally {
            root.detachAppender(events);
        }

        // Each event as the configured console encoder writes it (logback-test.xml; logback.xml has the same rules).
        @SuppressWarnings("unchecked")
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) root.getAppender("STDERR")).getEncoder();
        StringBuilder written = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(events.list)) {
            written.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
        }
        List<String> lines = written.toString().lines().toList();
        assertThat(lines).noneMatch(line -> line.startsWith(forged));
        assertThat(lines).filteredOn(line -> line.contains("3-3-x\\n" + forged)).singleElement()
                .matches(line -> line.contains("WARN") && line.contains("Failed"), "the file's failure, on one line");
    }

    private static FileTime ctime(Path file) throws java.io.IOException {
        return (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The server-side hold: the first PUT of one key waits until the test lets it go. */
    private static final class HeldPut {
        private volatile String key;
        private volatile CountDownLatch seen = new CountDownLatch(1);
        private volatile CountDownLatch go = new CountDownLatch(1);

        void arm(String key) {
            this.key = key;
            seen = new CountDownLatch(1);
            go = new CountDownLatch(1);
        }

        boolean seen() {
            return seen.getCount() == 0;
        }

        void release() {
            go.countDown();
        }

        void hold(String requested) {
            if (requested.equals(key) && seen.getCount() > 0) {
                seen.countDown();
                try {
                    go.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static final class HoldingStore extends ForwardingBlobStore {
        private final HeldPut held;

        HoldingStore(BlobStore delegate, HeldPut held) {
            super(delegate);
            this.held = held;
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream body) {
            held.hold(request.key());
            return super.putBlob(request, body);
        }
    }
}

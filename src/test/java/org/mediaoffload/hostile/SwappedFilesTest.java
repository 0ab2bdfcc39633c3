package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * Files swapped under a running run, the ways a reviewer would try: same size other bytes under a new inode (rename
 * over it), a directory where a file was, a hard link to a file outside the store, a rewrite while the file's own
 * streamed PUT is under way, and a hard link that was there at the scan. One transfer thread; the server holds one
 * PUT until the test has made its change. Every test: nothing deleted without its bytes in the bucket, nothing
 * outside the store read (access times) or changed.
 */
class SwappedFilesTest {
    private static final String MEDIA = "swappedMediaAAAAAAAAAAAA";
    private static final String ORIGINAL = localOriginal(MEDIA);
    private static final String BIG = localThumbDir(MEDIA) + "/1-1-big-image-png";
    private static final String SMALL = localThumbDir(MEDIA) + "/2-2-small-image-png";
    /** Above the 1 MiB in-memory limit: hashed, then streamed from the file per attempt. */
    private static final int STREAMED = (1 << 20) + 4096;

    @RegisterExtension
    static final MisbehavingServer S3 = new MisbehavingServer();

    @TempDir
    Path tmp;

    private OffloadHarness h;
    private Path outside;
    private byte[] original;
    private byte[] big;
    private byte[] small;

    @AfterEach
    void close() throws Exception {
        S3.store().reset();
        if (h != null) {
            h.close();
        }
    }

    /** A media with its original and two thumbnails, and a tree outside the store with a file of each size. */
    private void store(Db db, int originalSize) throws Exception {
        h = new OffloadHarness(db, tmp, S3.server());
        h.concurrency = Optional.of(1);
        original = bytes(originalSize, 1);
        big = bytes(STREAMED, 2);
        small = bytes(2_000, 3);
        h.addLocal(MEDIA, original, 3 * DAY_MS);
        h.writeFile(BIG, big);
        h.writeFile(SMALL, small);
        outside = Files.createDirectories(tmp.resolve("outside"));
        NothingLost.plant(outside.resolve("same-size-as-small"), bytes(2_000, 90));
        NothingLost.plant(outside.resolve("same-size-as-original"), bytes(originalSize, 91));
    }

    /** Runs in the background; once the server holds the PUT of {@code heldKey}, makes the change and lets go. */
    private RunSummary runChanging(String heldKey, ThrowingRunnable change) throws Exception {
        S3.store().hold(h.key(heldKey));
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> h.run());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> S3.store().holding() || run.isDone());
        assertThat(S3.store().holding()).as("the run reached the held PUT; it ended with %s",
                run.isDone() ? run.get().errors() : "").isTrue();
        change.run();
        S3.store().release();
        return run.get(2, TimeUnit.MINUTES);
    }

    @Test
    void anOriginalReplacedBySameSizedOtherBytesUnderANewInodeIsKeptAndOffloadedNextRun() throws Exception {
        store(Db.SQLITE, 3_000);
        Map<String, String> before = NothingLost.snapshot(outside);
        Path file = h.mediaStore().resolve(ORIGINAL);
        byte[] replacement = bytes(original.length, 40);

        // As an editor saves: a new file beside it, renamed over it, with the old mtime (same size, other bytes).
        RunSummary summary = runChanging(BIG, () -> {
            Path next = file.resolveSibling(".replacement");
            Files.write(next, replacement);
            Files.setLastModifiedTime(next, Files.getLastModifiedTime(file));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });

        // Kept and reported ("changed since it was verified"), not a failure: the next run takes it.
        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(file).hasBinaryContent(replacement);
        assertThat(summary.filesDeleted()).isEqualTo(2);
        NothingLost.assertLocalOrInTheBucket(h, Map.of(BIG, big, SMALL, small));
        assertThat(NothingLost.snapshot(outside)).isEqualTo(before);

        // The media's row still says 3,000 bytes: the next run offloads what is on disk now.
        RunSummary next = h.run();
        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.localExists(ORIGINAL)).isFalse();
        assertThat(h.objectBytes(ORIGINAL)).contains(replacement);
    }

    @Test
    void aDirectoryWhereAFileWasIsNeitherReadNorDeleted() throws Exception {
        store(Db.POSTGRES, 3_000);
        Path file = h.mediaStore().resolve(SMALL);
        byte[] inside = bytes(2_000, 50);

        RunSummary summary = runChanging(BIG, () -> {
            Files.delete(file);
            Files.createDirectory(file);
            Files.write(file.resolve("inside"), inside);
        });

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(summary.errors()).anyMatch(e -> e.contains(SMALL));
        assertThat(file).isDirectory();
        assertThat(file.resolve("inside")).hasBinaryContent(inside);
        assertThat(h.objectBytes(SMALL)).isEmpty();
        assertThat(h.bucketKeys()).noneMatch(k -> k.contains("inside"));
        NothingLost.assertLocalOrInTheBucket(h, Map.of(ORIGINAL, original, BIG, big));
    }

    @Test
    void aHardLinkToAFileOutsideSwappedInIsNeitherReadNorUnlinked() throws Exception {
        store(Db.SQLITE, 3_000);
        Path target = outside.resolve("same-size-as-small");
        Map<String, String> before = NothingLost.snapshot(outside);
        Path file = h.mediaStore().resolve(SMALL);

        RunSummary summary = runChanging(BIG, () -> {
            Files.delete(file);
            Files.createLink(file, target);
        });

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(summary.errors()).anyMatch(e -> e.contains(SMALL));
        assertThat(h.objectBytes(SMALL)).as("the outside file's bytes never went to the bucket").isEmpty();
        assertThat(file).exists();
        assertThat(Files.getAttribute(target, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).isEqualTo(2);
        assertThat(NothingLost.snapshot(outside)).as("not read (access times), not changed").isEqualTo(before);
        NothingLost.assertLocalOrInTheBucket(h, Map.of(ORIGINAL, original, BIG, big));
    }

    @Test
    void anOriginalRewrittenWhileItsOwnStreamedPutIsUnderWayIsKept() throws Exception {
        store(Db.SQLITE, STREAMED + 1);
        Path file = h.mediaStore().resolve(ORIGINAL);
        byte[] rewritten = bytes(original.length, 60);

        // Held before the server reads the body: the client is blocked sending it, from the open file.
        RunSummary summary = runChanging(ORIGINAL, () -> {
            try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(rewritten));
            }
        });

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(file).hasBinaryContent(rewritten);
        assertThat(summary.errors()).anyMatch(e -> e.contains(ORIGINAL));
        assertThat(h.objectBytes(ORIGINAL)).as("no mix of old and new bytes was accepted")
                .satisfiesAnyOf(o -> assertThat(o).isEmpty(), o -> assertThat(o).contains(original));
    }

    /**
     * A hard link made before the run (an admin's "backup" beside the store): the store's name is a regular file of
     * the store, so it is offloaded and its name unlinked; the other name keeps the bytes.
     */
    @Test
    void aHardLinkThereAtTheScanLosesOnlyTheStoresName() throws Exception {
        store(Db.SQLITE, 3_000);
        Path backup = outside.resolve("backup-of-small");
        Files.createLink(backup, h.mediaStore().resolve(SMALL));

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.localExists(SMALL)).isFalse();
        assertThat(h.objectBytes(SMALL)).contains(small);
        assertThat(backup).hasBinaryContent(small);
        assertThat(Files.getAttribute(backup, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}

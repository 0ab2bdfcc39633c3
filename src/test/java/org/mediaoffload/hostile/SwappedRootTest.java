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
 * The media store path is a symlink (admins point it at another disk; it is followed), and it is re-pointed at
 * another directory while the run is busy: after the original's upload, while the server holds the large
 * thumbnail's PUT, so the small thumbnail's upload and every deletion come after the swap. The other directory has
 * the same layout and the same names. Whatever it holds, none of it is uploaded or unlinked, and the store's own
 * files are either still there or in the bucket with their bytes.
 */
class SwappedRootTest {
    private static final String MEDIA = "swappedRootMediaAAAAAAAA";
    private static final String ORIGINAL = localOriginal(MEDIA);
    private static final String BIG = localThumbDir(MEDIA) + "/1-1-big-image-png";
    private static final String SMALL = localThumbDir(MEDIA) + "/2-2-small-image-png";
    private static final int STREAMED = (1 << 20) + 4096;

    @RegisterExtension
    static final MisbehavingServer S3 = new MisbehavingServer();

    @TempDir
    Path tmp;

    private OffloadHarness h;
    private Path real;
    private Map<String, byte[]> files;

    @AfterEach
    void close() throws Exception {
        S3.store().reset();
        if (h != null) {
            h.close();
        }
    }

    /** The store's files, in {@code store-real}, which the configured media store path links to. */
    private void store() throws Exception {
        h = new OffloadHarness(Db.SQLITE, tmp, S3.server());
        h.concurrency = Optional.of(1);
        files = Map.of(ORIGINAL, bytes(3_000, 1), BIG, bytes(STREAMED, 2), SMALL, bytes(2_000, 3));
        h.addLocal(MEDIA, files.get(ORIGINAL), 3 * DAY_MS);
        h.writeFile(BIG, files.get(BIG));
        h.writeFile(SMALL, files.get(SMALL));
        real = tmp.resolve("store-real");
        Files.move(h.mediaStore(), real);
        Files.createSymbolicLink(h.mediaStore(), real);
    }

    private RunSummary runRepointingTheStoreAt(Path other) throws Exception {
        S3.store().hold(h.key(BIG));
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> h.run());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> S3.store().holding() || run.isDone());
        assertThat(S3.store().holding()).as("the run reached the held PUT; it ended with %s",
                run.isDone() ? run.get().errors() : "").isTrue();
        Path next = tmp.resolve("next-link");
        Files.createSymbolicLink(next, other);
        Files.move(next, h.mediaStore(), java.nio.file.StandardCopyOption.ATOMIC_MOVE); // rename(2) over the link
        S3.store().release();
        return run.get(2, TimeUnit.MINUTES);
    }

    /** Each of the store's files is still in store-real with its bytes, or the bucket holds exactly its bytes. */
    private void assertNothingLost() {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path local = real.resolve(f.getKey());
            if (Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(local).hasBinaryContent(f.getValue());
            } else {
                assertThat(h.objectBytes(f.getKey())).as("%s was deleted", f.getKey()).hasValueSatisfying(
                        b -> assertThat(b).isEqualTo(f.getValue()));
            }
        }
        for (String key : files.keySet()) {
            h.objectBytes(key).ifPresent(b -> assertThat(b).as("%s in the bucket", key).isEqualTo(files.get(key)));
        }
    }

    @Test
    void aStoreRepointedAtACopyWithOtherBytesIsNeitherReadNorDeleted() throws Exception {
        store();
        Path decoy = tmp.resolve("decoy");
        NothingLost.plant(decoy.resolve(ORIGINAL), bytes(3_000, 21));
        NothingLost.plant(decoy.resolve(BIG), bytes(STREAMED, 22));
        NothingLost.plant(decoy.resolve(SMALL), bytes(2_000, 23));
        Map<String, String> before = NothingLost.snapshot(decoy);

        RunSummary summary = runRepointingTheStoreAt(decoy);

        assertThat(NothingLost.snapshot(decoy)).as("not read (access times), not changed").isEqualTo(before);
        assertNothingLost();
        assertThat(summary.status()).as("%s", summary.errors()).isEqualTo(RunStatus.FAILED_FILES);
    }

    /**
     * The other directory is a hard-link snapshot of the store made before the run (as {@code cp -al} or
     * rsnapshot make them): the same inodes, so the same identity (device, inode, size, mtime, ctime) as the scan
     * recorded. Its names are not the store's, and must not be unlinked.
     */
    @Test
    void aStoreRepointedAtAHardLinkSnapshotLosesNoNameOutsideTheStore() throws Exception {
        store();
        Path snapshot = tmp.resolve("snapshot");
        for (String f : files.keySet()) {
            Files.createDirectories(snapshot.resolve(f).getParent());
            Files.createLink(snapshot.resolve(f), real.resolve(f));
        }

        RunSummary summary = runRepointingTheStoreAt(snapshot);

        for (String f : files.keySet()) {
            assertThat(snapshot.resolve(f)).as("the snapshot's name of %s (%s)", f, summary.errors()).exists();
            assertThat(real.resolve(f)).as("the store's own name: the path no longer reaches it").exists();
        }
        assertNothingLost();
        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(summary.filesDeleted()).isZero();
        assertThat(summary.errors()).anyMatch(e -> e.contains(ORIGINAL) && e.contains("re-pointed"));
    }
}

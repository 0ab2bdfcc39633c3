package org.mediaoffload.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.FileIdentity;
import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalStore.DeleteOutcome;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;

class LocalFileRemoverTest {

    /** An identity no file has: these paths are refused before any identity is compared. */
    private static final FileIdentity ANY = new FileIdentity(0, 0, 5, 0, 0);

    @TempDir
    Path tmp;

    private List<LocalFile> listed(Path root, MediaKind kind, String origin, String id) {
        LocalMediaFiles.Listing listing = new LocalMediaFiles(new MediaStoreLayout(root))
                .list(new MediaRow(kind, origin, id, id, OptionalLong.of(1), 0, false));
        return ((LocalMediaFiles.Listing.Found) listing).files();
    }

    @Test
    void deletesAndPrunesEmptyDirsUpToButNotIncludingTheTopLevelDir() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 5);
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));

        LocalFile file = listed(store.root(), MediaKind.LOCAL, "", "aabbcccc").get(0);
        assertThat(remover.delete(file)).isEqualTo(DeleteOutcome.DELETED);

        assertThat(store.root().resolve("local_content/aa")).doesNotExist();
        assertThat(store.root().resolve("local_content")).isDirectory().isEmptyDirectory();
        assertThat(store.root()).isDirectory();
    }

    @Test
    void keepsNonEmptyParentsAndPrunesRemoteOriginDirs() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 5);
        store.file("local_content/aa/zz/other", 5);
        store.file("remote_thumbnail/matrix.org/aa/bb/cccc/32-32-image-png-crop", 1);
        store.file("remote_thumbnail/matrix.org/aa/bb/cccc/64-64-image-png-crop", 1);
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));

        assertThat(remover.delete(listed(store.root(), MediaKind.LOCAL, "", "aabbcccc").get(0)))
                .isEqualTo(DeleteOutcome.DELETED);
        assertThat(store.root().resolve("local_content/aa/bb")).doesNotExist();
        assertThat(store.root().resolve("local_content/aa/zz/other")).isRegularFile();

        List<LocalFile> thumbs = listed(store.root(), MediaKind.REMOTE, "matrix.org", "aabbcccc");
        assertThat(remover.delete(thumbs.get(0))).isEqualTo(DeleteOutcome.DELETED);
        assertThat(store.root().resolve("remote_thumbnail/matrix.org/aa/bb/cccc")).isDirectory();
        assertThat(remover.delete(thumbs.get(1))).isEqualTo(DeleteOutcome.DELETED);
        assertThat(store.root().resolve("remote_thumbnail/matrix.org")).doesNotExist();
        assertThat(store.root().resolve("remote_thumbnail")).isEmptyDirectory();
    }

    @Test
    void refusesAChangedFileAndReportsAGoneOne() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        Path path = store.file("local_content/aa/bb/cccc", 5);
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));
        LocalFile file = listed(store.root(), MediaKind.LOCAL, "", "aabbcccc").get(0);

        Files.write(path, new byte[6]);
        Files.setLastModifiedTime(path, FileTime.fromMillis(StoreFixture.MTIME_MS));
        assertThat(remover.delete(file)).as("size changed").isEqualTo(DeleteOutcome.CHANGED);
        assertThat(path).exists();

        Files.write(path, new byte[5]);
        Files.setLastModifiedTime(path, FileTime.fromMillis(StoreFixture.MTIME_MS + 1));
        assertThat(remover.delete(file)).as("mtime changed").isEqualTo(DeleteOutcome.CHANGED);
        assertThat(path).exists();

        Files.write(path, new byte[] {1, 2, 3, 4, 5});
        // Same size, mtime set back: only the ctime tells. The loop waits out the kernel's coarse clock tick, so the
        // rewrite is later than the listing as any real one is.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Files.setLastModifiedTime(path, FileTime.fromMillis(StoreFixture.MTIME_MS));
            return ctimeNs(path) != file.identity().ctimeNs();
        });
        assertThat(Files.size(path)).isEqualTo(file.size());
        assertThat(Files.getLastModifiedTime(path).toMillis()).isEqualTo(file.mtimeMs());
        assertThat(remover.delete(file)).as("rewritten in place, mtime restored").isEqualTo(DeleteOutcome.CHANGED);
        assertThat(path).exists();

        Files.delete(path);
        Files.createSymbolicLink(path, tmp.resolve("anything"));
        assertThat(remover.delete(file)).as("replaced by a symlink").isEqualTo(DeleteOutcome.CHANGED);
        assertThat(path).isSymbolicLink();

        Files.delete(path);
        assertThat(remover.delete(file)).isEqualTo(DeleteOutcome.GONE);
        Files.delete(path.getParent());
        assertThat(remover.delete(file)).as("parent gone too").isEqualTo(DeleteOutcome.GONE);
    }

    private static long ctimeNs(Path path) throws java.io.IOException {
        return ((FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).to(TimeUnit.NANOSECONDS);
    }

    @Test
    void aDirectorySwappedForASymlinkAfterTheListingIsRefusedAndNothingOutsideIsDeleted() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 5);
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));
        LocalFile file = listed(store.root(), MediaKind.LOCAL, "", "aabbcccc").get(0);

        // The same file, hard-linked outside, so even its identity matches: only the path rule protects it.
        Path outside = Files.createDirectories(tmp.resolve("outside/bb"));
        Files.createLink(outside.resolve("cccc"), store.root().resolve("local_content/aa/bb/cccc"));
        Files.move(store.root().resolve("local_content/aa"), tmp.resolve("moved-away"));
        Files.createSymbolicLink(store.root().resolve("local_content/aa"), tmp.resolve("outside"));

        assertThatThrownBy(() -> remover.delete(file)).isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("symlink");
        assertThat(outside.resolve("cccc")).isRegularFile();
    }

    @Test
    void symlinkedTopLevelDirIsKeptAndNothingOutsideIsTouched() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        StoreFixture disk2 = new StoreFixture(tmp.resolve("disk2/lc"));
        disk2.file("aa/bb/cccc", 5);
        store.symlink("local_content", disk2.root());
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));

        assertThat(remover.delete(listed(store.root(), MediaKind.LOCAL, "", "aabbcccc").get(0)))
                .isEqualTo(DeleteOutcome.DELETED);
        assertThat(disk2.root()).isEmptyDirectory();
        assertThat(store.root().resolve("local_content")).isSymbolicLink();
        assertThat(tmp.resolve("disk2")).isDirectory();
    }

    @Test
    void refusesPathsThatLeaveTheStoreOrDisagreeWithTheirRelativePath() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 5);
        Path outsideFile = new StoreFixture(tmp.resolve("outside")).file("aa/bb/cccc", 5);
        store.symlink("local_content/zz", tmp.resolve("outside/aa"));
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));
        long mtime = StoreFixture.MTIME_MS;

        assertThatThrownBy(() -> remover.delete(new LocalFile("local_content/aa/bb/cccc", outsideFile, 5, mtime,
                true, ANY))).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> remover.delete(new LocalFile("local_content/zz/bb/cccc",
                store.root().resolve("local_content/zz/bb/cccc"), 5, mtime, true, ANY)))
                .isInstanceOf(UnsafePathException.class).hasMessageContaining("symlink");
        assertThatThrownBy(() -> remover.delete(new LocalFile("local_content/../../outside/aa/bb/cccc",
                store.root().resolve("local_content/../../outside/aa/bb/cccc"), 5, mtime, true, ANY)))
                .isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> remover.delete(new LocalFile("url_cache/2026-01-01/abc",
                store.root().resolve("url_cache/2026-01-01/abc"), 5, mtime, true, ANY)))
                .isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> remover.delete(new LocalFile("local_content",
                store.root().resolve("local_content"), 5, mtime, true, ANY)))
                .isInstanceOf(UnsafePathException.class);

        assertThat(outsideFile).isRegularFile();
        assertThat(store.root().resolve("local_content/aa/bb/cccc")).isRegularFile();
    }

    @Test
    void neverDeletesATopLevelDirEvenWhenEmpty() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("remote_content/o.org/aa/bb/cccc", 1);
        store.dir("local_content");
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));
        assertThat(remover.delete(listed(store.root(), MediaKind.REMOTE, "o.org", "aabbcccc").get(0)))
                .isEqualTo(DeleteOutcome.DELETED);
        assertThat(store.root().resolve("remote_content")).isEmptyDirectory();
        assertThat(store.root().resolve("local_content")).isEmptyDirectory();
    }
}

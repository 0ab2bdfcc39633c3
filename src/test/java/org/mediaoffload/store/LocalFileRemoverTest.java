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

    /** What {@link LocalFileRemover#deleteAll} reported, in order ("name=OUTCOME" or "name=failed"). */
    private static final class Reports implements org.mediaoffload.pipeline.LocalStore.DeleteSink {
        final List<String> seen = new java.util.ArrayList<>();

        @Override
        public void done(LocalFile file, DeleteOutcome outcome) {
            seen.add(file.relativePath() + "=" + outcome);
        }

        @Override
        public void failed(LocalFile file, RuntimeException e) {
            seen.add(file.relativePath() + "=failed: " + e.getClass().getSimpleName());
        }
    }

    @Test
    void deleteAllDeletesAMediasFilesInOrderAndPrunesOnceTheDirectoryIsEmpty() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 5);
        store.file("local_content/aa/bb/dddd", 5);
        store.file("local_thumbnails/aa/bb/cccc/32-32-image-png-crop", 1);
        store.file("local_thumbnails/aa/bb/cccc/64-64-image-png-crop", 1);
        store.file("local_thumbnails/aa/bb/cccc/96-96-image-png-crop", 1);
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));
        List<LocalFile> files = listed(store.root(), MediaKind.LOCAL, "", "aabbcccc");
        assertThat(files).hasSize(4);

        Reports reports = new Reports();
        remover.deleteAll(files, reports);

        assertThat(reports.seen).containsExactly("local_content/aa/bb/cccc=DELETED",
                "local_thumbnails/aa/bb/cccc/32-32-image-png-crop=DELETED",
                "local_thumbnails/aa/bb/cccc/64-64-image-png-crop=DELETED",
                "local_thumbnails/aa/bb/cccc/96-96-image-png-crop=DELETED");
        assertThat(store.root().resolve("local_content/aa/bb/dddd")).as("another media's file").isRegularFile();
        assertThat(store.root().resolve("local_thumbnails/aa")).doesNotExist();
        assertThat(store.root().resolve("local_thumbnails")).isEmptyDirectory();
    }

    @Test
    void deleteAllChecksEveryFileOfADirectoryOnItsOwn() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("remote_thumbnail/o.org/aa/bb/cccc/32-32-image-png-crop", 1);
        Path changed = store.file("remote_thumbnail/o.org/aa/bb/cccc/64-64-image-png-crop", 1);
        store.file("remote_thumbnail/o.org/aa/bb/cccc/96-96-image-png-crop", 1);
        store.file("remote_thumbnail/o.org/aa/bb/cccc/128-128-image-png-crop", 1);
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));
        List<LocalFile> files = listed(store.root(), MediaKind.REMOTE, "o.org", "aabbcccc");
        Files.write(changed, new byte[2]);
        Files.delete(store.root().resolve("remote_thumbnail/o.org/aa/bb/cccc/96-96-image-png-crop"));

        Reports reports = new Reports();
        remover.deleteAll(files, reports);

        assertThat(reports.seen).containsExactly("remote_thumbnail/o.org/aa/bb/cccc/128-128-image-png-crop=DELETED",
                "remote_thumbnail/o.org/aa/bb/cccc/32-32-image-png-crop=DELETED",
                "remote_thumbnail/o.org/aa/bb/cccc/64-64-image-png-crop=CHANGED",
                "remote_thumbnail/o.org/aa/bb/cccc/96-96-image-png-crop=GONE");
        assertThat(changed).as("changed since the listing: kept, and so is its directory").isRegularFile();
        assertThat(store.root().resolve("remote_thumbnail/o.org/aa/bb/cccc")).isDirectory();
    }

    @Test
    void deleteAllRefusesAFileWhoseRelativePathDisagreesAndDeletesTheRestOfItsDirectory() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_thumbnails/aa/bb/cccc/32-32-image-png-crop", 1);
        store.file("local_thumbnails/aa/bb/cccc/64-64-image-png-crop", 1);
        Path outsideFile = new StoreFixture(tmp.resolve("outside")).file("aa/bb/cccc/64-64-image-png-crop", 1);
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));
        List<LocalFile> listedFiles = listed(store.root(), MediaKind.LOCAL, "", "aabbcccc");
        LocalFile wrong = listedFiles.get(0);
        List<LocalFile> files = List.of(new LocalFile(wrong.relativePath(), outsideFile, wrong.size(), wrong.mtimeMs(),
                false, wrong.identity()), listedFiles.get(1));

        Reports reports = new Reports();
        remover.deleteAll(files, reports);

        assertThat(reports.seen).containsExactly(
                "local_thumbnails/aa/bb/cccc/32-32-image-png-crop=failed: UnsafePathException",
                "local_thumbnails/aa/bb/cccc/64-64-image-png-crop=DELETED");
        assertThat(outsideFile).isRegularFile();
        assertThat(store.root().resolve("local_thumbnails/aa/bb/cccc/32-32-image-png-crop")).isRegularFile();
    }

    @Test
    void deleteAllRefusesADirectorySwappedForASymlinkForEveryFileInIt() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_thumbnails/aa/bb/cccc/32-32-image-png-crop", 1);
        store.file("local_thumbnails/aa/bb/cccc/64-64-image-png-crop", 1);
        LocalFileRemover remover = new LocalFileRemover(new MediaStoreLayout(store.root()));
        List<LocalFile> files = listed(store.root(), MediaKind.LOCAL, "", "aabbcccc");
        Path outside = Files.createDirectories(tmp.resolve("outside/bb/cccc"));
        for (LocalFile f : files) {
            Files.createLink(outside.resolve(f.path().getFileName()), f.path());
        }
        Files.move(store.root().resolve("local_thumbnails/aa"), tmp.resolve("moved-away"));
        Files.createSymbolicLink(store.root().resolve("local_thumbnails/aa"), tmp.resolve("outside"));

        Reports reports = new Reports();
        remover.deleteAll(files, reports);

        assertThat(reports.seen).containsExactly(
                "local_thumbnails/aa/bb/cccc/32-32-image-png-crop=failed: UnsafePathException",
                "local_thumbnails/aa/bb/cccc/64-64-image-png-crop=failed: UnsafePathException");
        assertThat(outside.resolve("32-32-image-png-crop")).isRegularFile();
        assertThat(outside.resolve("64-64-image-png-crop")).isRegularFile();
    }
}

package org.mediaoffload.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mediaoffload.store.StoreRows.local;
import static org.mediaoffload.store.StoreRows.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;

class LocalMediaFilesTest {

    @TempDir
    Path tmp;

    private LocalMediaFiles.Listing list(Path root, MediaRow row) {
        return new LocalMediaFiles(new MediaStoreLayout(root)).list(row);
    }

    private List<LocalFile> files(Path root, MediaRow row) {
        LocalMediaFiles.Listing listing = list(root, row);
        assertThat(listing).isInstanceOf(LocalMediaFiles.Listing.Found.class);
        return ((LocalMediaFiles.Listing.Found) listing).files();
    }

    @Test
    void originalAndThumbnailsIncludingLegacyNamesZeroLengthAndNoNestedDirs() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        Path original = store.file("remote_content/example.com:8448/ab/cd/efghij", 7);
        store.file("remote_thumbnail/example.com:8448/ab/cd/efghij/32-32-image-jpeg-crop", 3);
        store.file("remote_thumbnail/example.com:8448/ab/cd/efghij/320-240-image-jpeg", 0); // legacy, empty
        store.file("remote_thumbnail/example.com:8448/ab/cd/efghij/nested/1-1-image-png-crop", 2);
        Path outside = Files.writeString(tmp.resolve("outside-secret"), "secret");
        store.symlink("remote_thumbnail/example.com:8448/ab/cd/efghij/96-96-image-jpeg-crop", outside);

        List<LocalFile> files = files(store.root(), remote("example.com:8448", "abcdefghij"));

        Path thumbs = store.root().resolve("remote_thumbnail/example.com:8448/ab/cd/efghij");
        assertThat(files).extracting(LocalFile::relativePath, LocalFile::path, LocalFile::size, LocalFile::mtimeMs,
                LocalFile::original).containsExactly(
                tuple("remote_content/example.com:8448/ab/cd/efghij", original, 7L, StoreFixture.MTIME_MS, true),
                tuple("remote_thumbnail/example.com:8448/ab/cd/efghij/32-32-image-jpeg-crop",
                        thumbs.resolve("32-32-image-jpeg-crop"), 3L, StoreFixture.MTIME_MS, false),
                tuple("remote_thumbnail/example.com:8448/ab/cd/efghij/320-240-image-jpeg",
                        thumbs.resolve("320-240-image-jpeg"), 0L, StoreFixture.MTIME_MS, false));
        // The identity is the file's own inode, as lstat reports it.
        assertThat(files.get(0).identity().inode()).isEqualTo(Files.getAttribute(original, "unix:ino",
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertThat(files.get(0).identity().ctimeNs()).isEqualTo(((java.nio.file.attribute.FileTime) Files
                .getAttribute(original, "unix:ctime", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    @Test
    void theOriginalCarriesSynapsesHashForEveryReadOfItThumbnailsNone() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 5);
        store.file("local_thumbnails/aa/bb/cccc/32-32-image-png-crop", 4);
        String hash = "ab".repeat(32);
        MediaRow row = new MediaRow(MediaKind.LOCAL, "", "aabbcccc", "aabbcccc", OptionalLong.of(5), 0, false,
                java.util.Optional.of(hash));

        List<LocalFile> files = files(store.root(), row);

        assertThat(files).extracting(LocalFile::original, LocalFile::sha256).containsExactly(
                tuple(true, java.util.Optional.of(hash)), tuple(false, java.util.Optional.empty()));
        SynapseMediaStore media = new SynapseMediaStore(store.root());
        assertThat(media.uploadFile(files.get(0)).sha256()).contains(hash);
        assertThat(media.uploadFile(files.get(1)).sha256()).isEmpty();
    }

    @Test
    void thumbnailsWithoutOriginalAndNothingAtAll() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_thumbnails/aa/bb/cccc/32-32-image-png-crop", 4);
        assertThat(files(store.root(), local("aabbcccc"))).singleElement()
                .matches(f -> !f.original() && f.relativePath().equals("local_thumbnails/aa/bb/cccc/32-32-image-png-crop"));
        assertThat(files(store.root(), local("zzzzzzzz"))).isEmpty();
        assertThat(files(tmp.resolve("no-store-here"), local("aabbcccc"))).isEmpty();
    }

    @Test
    void symlinkedOriginalAndThumbnailDirAreIgnored() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        StoreFixture outside = new StoreFixture(tmp.resolve("outside"));
        store.symlink("local_content/aa/bb/cccc", outside.file("secret", 5));
        store.symlink("local_thumbnails/aa/bb/cccc", outside.file("thumbs/1-1-image-png-crop", 5).getParent());
        assertThat(files(store.root(), local("aabbcccc"))).isEmpty();
    }

    @Test
    void symlinkedStoreRootAndTopLevelDirsAreFollowed() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("disk1/media"));
        StoreFixture disk2 = new StoreFixture(tmp.resolve("disk2/local_content"));
        disk2.file("aa/bb/cccc", 6);
        store.symlink("local_content", disk2.root());
        Path root = Files.createSymbolicLink(tmp.resolve("media"), store.root());
        List<LocalFile> files = files(root, local("aabbcccc"));
        assertThat(files).singleElement()
                .matches(f -> f.original() && f.size() == 6 && f.relativePath().equals("local_content/aa/bb/cccc"))
                .matches(f -> f.path().equals(root.resolve("local_content/aa/bb/cccc")), "the configured spelling");
        assertThat(Files.isSameFile(files.get(0).path(), tmp.resolve("disk2/local_content/aa/bb/cccc"))).isTrue();
    }

    @Test
    void symlinkedIntermediateDirectoryIsRefusedWithAReason() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        StoreFixture outside = new StoreFixture(tmp.resolve("outside"));
        outside.file("bb/cccc", 5);
        store.symlink("local_content/aa", outside.root());
        LocalMediaFiles.Listing listing = list(store.root(), local("aabbcccc"));
        assertThat(listing).isInstanceOf(LocalMediaFiles.Listing.Refused.class);
        assertThat(((LocalMediaFiles.Listing.Refused) listing).reason()).contains("symlink")
                .contains(outside.root().toString());
    }

    @Test
    void hostileIdsAreRefusedWithoutTouchingTheDisk() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 1);
        for (MediaRow row : List.of(local("../../../etc/passwd"), local("ab"), local(".."),
                remote("../..", "aabbcccc"), remote("a/b", "aabbcccc"))) {
            LocalMediaFiles.Listing listing = list(store.root(), row);
            assertThat(listing).as(row.toString()).isInstanceOf(LocalMediaFiles.Listing.Refused.class);
            assertThat(((LocalMediaFiles.Listing.Refused) listing).reason()).isNotBlank();
        }
    }
}

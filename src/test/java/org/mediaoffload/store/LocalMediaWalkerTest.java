package org.mediaoffload.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;

class LocalMediaWalkerTest {

    @TempDir
    Path tmp;

    private static DiskMediaId local(String id) {
        return new DiskMediaId(MediaKind.LOCAL, "", id);
    }

    private static DiskMediaId remote(String origin, String id) {
        return new DiskMediaId(MediaKind.REMOTE, origin, id);
    }

    @Test
    void findsOriginalsThumbnailOnlyMediaAndRemoteOrigins() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/original1", 10);
        store.file("local_thumbnails/aa/bb/original1/32-32-image-jpeg-crop", 1);
        store.file("local_thumbnails/aa/bb/thumbsonly/32-32-image-png-crop", 1);
        store.file("local_content/zz/yy/another", 0);
        store.file("remote_content/matrix.org/Ge/rZ/NDnDZVjs", 5);
        store.file("remote_thumbnail/matrix.org/Ge/rZ/NDnDZVjs/32-32-image-jpeg", 1);
        store.file("remote_content/example.com:8448/ab/cd/efgh", 5);
        store.file("remote_thumbnail/[2001:db8::1]:8448/ab/cd/thumbonly/96-96-image-jpeg-crop", 1);
        store.file("remote_thumbnail/matrix.org/Qq/Qq/thumbdir/1-1-image-png-scale", 1);

        List<DiskMediaId> found = new ArrayList<>();
        LocalMediaWalker.WalkStats stats = new LocalMediaWalker(new MediaStoreLayout(store.root())).walk(found::add);

        assertThat(found).containsExactly(
                local("aabboriginal1"), local("aabbthumbsonly"), local("zzyyanother"),
                remote("[2001:db8::1]:8448", "abcdthumbonly"),
                remote("example.com:8448", "abcdefgh"),
                remote("matrix.org", "GerZNDnDZVjs"), remote("matrix.org", "QqQqthumbdir"));
        assertThat(stats).isEqualTo(new LocalMediaWalker.WalkStats(7, 0, 0));

        // The audit walks one kind at a time (local media, then remote): the same media, split by kind.
        LocalMediaWalker walker = new LocalMediaWalker(new MediaStoreLayout(store.root()));
        List<DiskMediaId> localOnly = new ArrayList<>();
        List<DiskMediaId> remoteOnly = new ArrayList<>();
        assertThat(walker.walk(MediaKind.LOCAL, localOnly::add).mediaFound()).isEqualTo(3);
        assertThat(walker.walk(MediaKind.REMOTE, remoteOnly::add).mediaFound()).isEqualTo(4);
        assertThat(localOnly).isEqualTo(found.subList(0, 3));
        assertThat(remoteOnly).isEqualTo(found.subList(3, 7));
    }

    @Test
    void neverLooksAtUrlCacheAndCountsOddEntries() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("url_cache/2026-01-01/abcdefghijklmnop", 3);
        store.file("url_cache_thumbnails/2026-01-01/abcdefghijklmnop/32-32-image-png-crop", 3);
        store.file("other_dir/aa/bb/ccc", 3);
        store.file("stray-file-in-root", 3);
        store.file("local_content/aa/bb/good", 1);
        store.file("local_content/aa/stray-at-bb-level", 1);     // odd: file where a bb dir belongs
        store.file("local_content/abc/de/fgh", 1);               // odd: aa of 3 chars
        store.dir("local_content/aa/bb/dir-instead-of-file");    // odd: directory where the original belongs
        store.file("local_thumbnails/aa/bb/file-not-dir", 1);   // odd: thumbnail entry that is not a dir
        store.file("local_content/aa/bb/has space", 1);          // odd: invalid name
        store.file("remote_content/bad origin/aa/bb/cc", 1);     // odd: invalid origin
        store.file("remote_content/file-at-origin-level", 1);    // odd
        store.dir("local_content/cc/dd");                        // empty: nothing, not odd

        List<DiskMediaId> found = new ArrayList<>();
        LocalMediaWalker.WalkStats stats = new LocalMediaWalker(new MediaStoreLayout(store.root())).walk(found::add);

        assertThat(found).containsExactly(local("aabbgood"));
        assertThat(stats).isEqualTo(new LocalMediaWalker.WalkStats(1, 0, 7));
    }

    @Test
    void followsSymlinkedRootAndTopLevelDirsButNoSymlinkBelowThem() throws Exception {
        Path realStore = tmp.resolve("disk1/media");
        StoreFixture store = new StoreFixture(realStore);
        store.file("local_content/aa/bb/inroot", 1);
        // local_thumbnails moved to another disk.
        StoreFixture otherDisk = new StoreFixture(tmp.resolve("disk2/thumbs"));
        otherDisk.file("aa/bb/moved/32-32-image-png-crop", 1);
        store.symlink("local_thumbnails", otherDisk.root());
        // Outside the store: must never be reported.
        StoreFixture outside = new StoreFixture(tmp.resolve("outside"));
        outside.file("cc/dd/secret", 1);
        outside.file("ee/secretdir/x", 1);
        store.symlink("local_content/aa/bb/linkedfile", outside.root().resolve("cc/dd/secret"));
        store.symlink("local_content/cc", outside.root().resolve("cc"));               // aa dir link
        store.symlink("local_content/aa/ee", outside.root().resolve("ee"));            // bb dir link
        store.symlink("local_thumbnails/aa/bb/linkeddir", outside.root().resolve("ee/secretdir"));
        store.symlink("remote_content/evil.org", outside.root());                     // origin link
        store.file("local_content/aa/bb/samelinktarget", 1);
        store.symlink("local_content/aa/bb/insidelink", realStore.resolve("local_content/aa/bb/samelinktarget"));
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("media-link"), realStore);

        List<DiskMediaId> found = new ArrayList<>();
        LocalMediaWalker.WalkStats stats = new LocalMediaWalker(new MediaStoreLayout(linkedRoot)).walk(found::add);

        assertThat(found).containsExactly(local("aabbinroot"), local("aabbmoved"), local("aabbsamelinktarget"));
        assertThat(stats.symlinksSkipped()).isEqualTo(6);
        assertThat(stats.oddEntries()).isZero();
    }

    @Test
    void missingTopLevelDirsAreFineButAMissingRootIsAnError() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("remote_content/matrix.org/aa/bb/cc", 1);
        List<DiskMediaId> found = new ArrayList<>();
        assertThat(new LocalMediaWalker(new MediaStoreLayout(store.root())).walk(found::add).mediaFound())
                .isEqualTo(1);

        assertThatThrownBy(() -> new LocalMediaWalker(new MediaStoreLayout(tmp.resolve("nope"))).walk(found::add))
                .isInstanceOf(MediaStoreException.class)
                .hasMessageContaining(tmp.resolve("nope").toString())
                .hasMessageContaining("offload.media-store-path");
    }

    @Test
    void aTopLevelEntryThatIsAFileIsOdd() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content", 1);
        store.file("local_thumbnails/aa/bb/media/1-1-image-png-crop", 1);
        List<DiskMediaId> found = new ArrayList<>();
        LocalMediaWalker.WalkStats stats = new LocalMediaWalker(new MediaStoreLayout(store.root())).walk(found::add);
        assertThat(found).containsExactly(local("aabbmedia"));
        assertThat(stats.oddEntries()).isEqualTo(1);
    }

    @Test
    void reportsMediaInTheOrderS3ListsTheirKeys() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        // Origins: "example.com.au/" < "example.com/" < "example.com:8448/" as keys ('.' < '/' < ':'), which name
        // order (example.com < example.com.au < example.com:8448) gets wrong.
        store.file("remote_content/example.com:8448/aa/bb/port", 1);
        store.file("remote_content/example.com/aa/bb/plain", 1);
        store.file("remote_thumbnail/example.com.au/aa/bb/aussie/32-32-image-png-crop", 1); // thumbnails only
        store.file("remote_content/Example.org/aa/bb/upper", 1);
        // Local: upper case before '_' before lower case (byte order), thumbnail-only media merged in place.
        store.file("local_content/aa/bb/zeta", 1);
        store.file("local_content/aa/bb/Alpha", 1);
        store.file("local_thumbnails/aa/bb/_thumbsOnly/32-32-image-png-crop", 1);
        store.file("local_content/aa/bB/upperBb", 1);
        store.file("local_content/Aa/zz/upperAa", 1);
        store.dir("local_content/ab/cd");              // empty directories on the way
        store.dir("local_thumbnails/ab");
        store.file("local_content/aa/bb/caf\u00e9", 1); // not a valid component (Synapse's ids are ASCII): odd

        List<DiskMediaId> found = new ArrayList<>();
        LocalMediaWalker walker = new LocalMediaWalker(new MediaStoreLayout(store.root()));
        LocalMediaWalker.WalkStats stats = walker.walk(found::add);

        assertThat(found).containsExactly(
                local("AazzupperAa"), local("aabBupperBb"), local("aabbAlpha"),
                local("aabb_thumbsOnly"), local("aabbzeta"),
                remote("Example.org", "aabbupper"), remote("example.com.au", "aabbaussie"),
                remote("example.com", "aabbplain"), remote("example.com:8448", "aabbport"));
        assertThat(stats.oddEntries()).isEqualTo(1);
        assertThat(walker.countMedia()).as("the names-only count sees the same media").isEqualTo(found.size());
    }

    @Test
    void countsByNameWithoutLookingAtFiles() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/one", 1);
        store.file("local_thumbnails/aa/bb/one/32-32-image-png-crop", 1);
        store.file("local_thumbnails/aa/bb/two/32-32-image-png-crop", 1);
        store.file("remote_content/matrix.org/cc/dd/three", 1);
        store.dir("remote_thumbnail/matrix.org/cc/dd");
        LocalMediaWalker walker = new LocalMediaWalker(new MediaStoreLayout(store.root()));
        assertThat(walker.countMedia()).isEqualTo(3);
    }
}

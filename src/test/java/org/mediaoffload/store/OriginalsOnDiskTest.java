package org.mediaoffload.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.store.StoreRows.local;
import static org.mediaoffload.store.StoreRows.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalStore;
import org.mediaoffload.pipeline.MediaRow;

class OriginalsOnDiskTest {

    @TempDir
    Path tmp;

    private static List<Integer> bits(BitSet set) {
        return set.stream().boxed().toList();
    }

    /** What filesOf says, row by row: the answer the batched check must give. */
    private static List<Integer> oneByOne(SynapseMediaStore store, List<MediaRow> rows) {
        List<Integer> on = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (store.filesOf(rows.get(i)) instanceof LocalStore.MediaFiles.Found found
                    && found.files().stream().anyMatch(LocalFile::original)) {
                on.add(i);
            }
        }
        return on;
    }

    @Test
    void originalsInSharedMissingAndOtherDirectoriesInKeyOrder() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 3);
        store.file("local_content/aa/bb/dddd", 0); // empty, still a regular file
        store.file("local_content/aa/bc/eeee", 1);
        store.file("local_thumbnails/aa/bb/ffff/32-32-image-png-crop", 2); // a thumbnail says nothing of the original
        store.file("remote_content/example.com/xx/yy/zzzz", 4);
        store.dir("local_content/ab");
        List<MediaRow> rows = List.of(local("aabbcccc"), local("aabbdddd"), local("aabbffff"), local("aabbgggg"),
                local("aabceeee"), local("aabdhhhh"), local("abbbiiii"), local("acbbjjjj"), local("acbbkkkk"),
                remote("example.com", "xxyyzzzz"), remote("example.com", "xxyywwww"), remote("other.org", "xxyyzzzz"));

        SynapseMediaStore media = new SynapseMediaStore(store.root());
        BitSet found = media.originalsOnDisk(rows);

        assertThat(bits(found)).containsExactly(0, 1, 4, 9).isEqualTo(oneByOne(media, rows));
    }

    @Test
    void theSameAnswerInAnyOrderAndWithRepeats() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 3);
        store.file("local_content/zz/bb/cccc", 3);
        List<MediaRow> rows = List.of(local("zzbbcccc"), local("qqbbcccc"), local("aabbcccc"), local("zzbbcccc"),
                local("aabbdddd"), local("aabbcccc"));

        BitSet found = new SynapseMediaStore(store.root()).originalsOnDisk(rows);

        assertThat(bits(found)).containsExactly(0, 2, 3, 5);
    }

    @Test
    void symlinksAreNeverFollowedAndRefuseOnlyWhatIsBelowThem() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        StoreFixture outside = new StoreFixture(tmp.resolve("outside"));
        outside.file("bb/cccc", 5);
        store.symlink("local_content/aa", outside.root()); // an intermediate directory swapped for a symlink
        store.symlink("local_content/ab/bb/link", outside.file("secret", 5)); // a symlinked original
        store.file("local_content/ab/bb/real", 5);
        store.file("local_content/ac/bb/plain", 1);
        store.dir("local_content/ad/bb/adir"); // a directory where the original should be
        List<MediaRow> rows = List.of(local("aabbcccc"), local("abbblink"), local("abbbreal"),
                local("acbbplain"), local("adbbadir"));

        SynapseMediaStore media = new SynapseMediaStore(store.root());
        BitSet found = media.originalsOnDisk(rows);

        assertThat(bits(found)).containsExactly(2, 3).isEqualTo(oneByOne(media, rows));
    }

    @Test
    void aSymlinkedTopLevelDirectoryIsFollowedAsEverywhere() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("disk1/media"));
        StoreFixture disk2 = new StoreFixture(tmp.resolve("disk2/local_content"));
        disk2.file("aa/bb/cccc", 6);
        store.symlink("local_content", disk2.root());

        BitSet found = new SynapseMediaStore(store.root()).originalsOnDisk(List.of(local("aabbcccc"),
                local("aabbdddd")));

        assertThat(bits(found)).containsExactly(0);
    }

    @Test
    void hostileIdsAndAMissingStoreAreNotOnDisk() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 1);
        List<MediaRow> rows = List.of(local("../../../etc/passwd"), local("ab"), local(".."),
                remote("../..", "aabbcccc"), remote("a/b", "aabbcccc"), local("aabbcccc"));

        assertThat(bits(new SynapseMediaStore(store.root()).originalsOnDisk(rows))).containsExactly(5);
        assertThat(bits(new SynapseMediaStore(tmp.resolve("no-store-here")).originalsOnDisk(rows))).isEmpty();
    }

    @Test
    void aDirectoryMissingInOneCallIsLookedForAgainInTheNext() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        SynapseMediaStore media = new SynapseMediaStore(store.root());
        List<MediaRow> rows = List.of(local("aabbcccc"), local("aabbdddd"));
        assertThat(bits(media.originalsOnDisk(rows))).isEmpty();

        store.file("local_content/aa/bb/dddd", 2); // restored between two re-checks

        assertThat(bits(media.originalsOnDisk(rows))).containsExactly(1);
        Files.delete(store.root().resolve("local_content/aa/bb/dddd"));
        assertThat(bits(media.originalsOnDisk(rows))).isEmpty();
    }

    @Test
    void manyRandomMediaAgreeWithFilesOf() {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        java.util.Random random = new java.util.Random(7);
        String letters = "abcd";
        List<MediaRow> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder id = new StringBuilder();
            for (int k = 0; k < 6; k++) {
                id.append(letters.charAt(random.nextInt(letters.length())));
            }
            String fsId = id.toString();
            boolean remote = random.nextInt(3) == 0;
            MediaRow row = remote ? remote(random.nextBoolean() ? "a.org" : "b.org", fsId) : local(fsId);
            rows.add(row);
            String dir = remote ? "remote_content/" + row.origin() + "/" : "local_content/";
            String path = dir + fsId.substring(0, 2) + "/" + fsId.substring(2, 4) + "/" + fsId.substring(4);
            if (random.nextInt(4) == 0) {
                store.file(path, 1);
            } else if (random.nextInt(4) == 0) {
                store.dir(path.substring(0, path.lastIndexOf('/')));
            }
        }
        rows.sort(java.util.Comparator.comparing(r -> r.kind() + "/" + r.origin() + "/" + r.filesystemId()));
        SynapseMediaStore media = new SynapseMediaStore(store.root());

        List<Integer> found = bits(media.originalsOnDisk(rows));

        assertThat(found).isNotEmpty().isEqualTo(oneByOne(media, rows));
    }
}

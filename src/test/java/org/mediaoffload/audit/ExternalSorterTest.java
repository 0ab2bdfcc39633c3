package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalSorterTest {
    @TempDir
    Path dir;

    /** S3 lists keys by their UTF-8 bytes; "\uFFFD" sorts before an emoji there, after it in UTF-16 order. */
    @Test
    void sortsManyRunsIntoUtf8ByteOrderAndLeavesNoFiles() throws Exception {
        Random random = new Random(42);
        String[] alphabet = {"a", "b", "/", "-", ".", "\u00e9", "\uFFFD", "\uD83D\uDE00", "Z", "0"};
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            StringBuilder k = new StringBuilder();
            for (int j = 0, n = 1 + random.nextInt(6); j < n; j++) {
                k.append(alphabet[random.nextInt(alphabet.length)]);
            }
            keys.add(k.toString());
        }
        List<String> sorted;
        try (ExternalSorter sorter = new ExternalSorter(dir.resolve("sort"), 97)) {
            for (String k : keys) {
                sorter.add(new Entry(k, Entry.Source.DISK, 1, 2, "", "", "", 0));
            }
            assertThat(sorter.runFiles()).isGreaterThan(50);
            sorted = new ArrayList<>();
            for (Iterator<Entry> it = sorter.sorted(); it.hasNext(); ) {
                sorted.add(it.next().key());
            }
        }
        List<String> expected = new ArrayList<>(keys);
        expected.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        assertThat(sorted).isEqualTo(expected);
        try (var files = Files.list(dir.resolve("sort"))) {
            assertThat(files).isEmpty();
        }
    }

    /** A spilled entry comes back field for field, whatever the database held (writeUTF stopped at 64 KiB). */
    @Test
    void everyFieldSurvivesTheSortFiles() {
        String longId = "m".repeat(70_000);
        String sha = "ab".repeat(32);
        try (ExternalSorter sorter = new ExternalSorter(dir, 1)) {
            sorter.add(new Entry("p/remote_content/\u00e9x.org/ab/cd/ef", Entry.Source.ROW_ORIGINAL, -1, 1_700_000_000_123L,
                    "\u00e9x.org", longId, sha, Entry.URL_CACHE | Entry.RECENT));
            sorter.add(new Entry("p/local_content/ab/cd/\uD83D\uDE00", Entry.Source.DISK, Long.MAX_VALUE, -5, "", "", "",
                    0));
            sorter.add(new Entry("", Entry.Source.MEDIA_DIR, 0, 0, "", "", "", 0));
            assertThat(sorter.runFiles()).isEqualTo(3);
            List<Entry> back = new ArrayList<>();
            sorter.sorted().forEachRemaining(back::add);
            assertThat(back).extracting(Entry::key).containsExactly("", "p/local_content/ab/cd/\uD83D\uDE00",
                    "p/remote_content/\u00e9x.org/ab/cd/ef");
            Entry row = back.get(2);
            assertThat(row.source()).isEqualTo(Entry.Source.ROW_ORIGINAL);
            assertThat(row.size()).isEqualTo(-1);
            assertThat(row.timeMs()).isEqualTo(1_700_000_000_123L);
            assertThat(row.origin()).isEqualTo("\u00e9x.org");
            assertThat(row.mediaId()).isEqualTo(longId);
            assertThat(row.sha256()).isEqualTo(sha);
            assertThat(row.has(Entry.URL_CACHE) && row.has(Entry.RECENT)).isTrue();
            Entry disk = back.get(1);
            assertThat(disk.size()).isEqualTo(Long.MAX_VALUE);
            assertThat(disk.timeMs()).isEqualTo(-5);
            assertThat(disk.flags()).isZero();
            assertThat(disk.hasKey("p/local_content/ab/cd/\uD83D\uDE00".getBytes(StandardCharsets.UTF_8))).isTrue();
        }
    }

    @Test
    void sameKeysComeInSourceOrderSoAMediaDirectoryPrecedesItsThumbnails() {
        try (ExternalSorter sorter = new ExternalSorter(dir, 2)) {
            sorter.add(new Entry("k", Entry.Source.DISK, 0, 0, "", "", "", 0));
            sorter.add(new Entry("k", Entry.Source.ROW_ORIGINAL, 0, 0, "", "", "", 0));
            sorter.add(new Entry("k", Entry.Source.MEDIA_DIR, 0, 0, "", "", "", 0));
            List<Entry.Source> order = new ArrayList<>();
            sorter.sorted().forEachRemaining(e -> order.add(e.source()));
            assertThat(order).containsExactly(Entry.Source.MEDIA_DIR, Entry.Source.ROW_ORIGINAL, Entry.Source.DISK);
        }
    }
}

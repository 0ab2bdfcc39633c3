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
    /**
     * The audit sorts its local media, merges them, and meanwhile sorts its remote media: each batch holds exactly
     * what was added since the previous one, in order, and an earlier batch's iterator keeps working (from its own
     * run files) while the next batch spills new ones.
     */
    @Test
    void eachBatchHoldsWhatWasAddedSinceThePreviousAndEarlierOnesStayReadable() throws Exception {
        try (ExternalSorter sorter = new ExternalSorter(dir, 10)) {
            for (int i = 99; i >= 0; i--) {
                sorter.add(new Entry(String.format("local/%03d", i), Entry.Source.DISK, i, 0, "", "", "", 0));
            }
            Iterator<Entry> first = sorter.sorted();
            List<String> firstKeys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                firstKeys.add(first.next().key());
            }
            for (int i = 0; i < 45; i++) {
                sorter.add(new Entry(String.format("remote/%03d", (i * 7) % 45), Entry.Source.DISK, i, 0, "", "", "",
                        0));
            }
            Iterator<Entry> second = sorter.sorted();
            first.forEachRemaining(e -> firstKeys.add(e.key()));
            List<String> secondKeys = new ArrayList<>();
            second.forEachRemaining(e -> secondKeys.add(e.key()));

            assertThat(firstKeys).hasSize(100).isSorted().allMatch(k -> k.startsWith("local/"));
            assertThat(secondKeys).hasSize(45).isSorted().allMatch(k -> k.startsWith("remote/"));
            assertThat(sorter.count()).isEqualTo(145);
            assertThat(sorter.runFiles()).isEqualTo(15);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    /** A batch handed out from memory counts against the next batch's run: memory stays about one run. */
    @Test
    void aBatchKeptInMemoryShortensTheNextBatchsRuns() {
        try (ExternalSorter sorter = new ExternalSorter(dir, 100)) {
            for (int i = 0; i < 60; i++) {
                sorter.add(new Entry("a" + i, Entry.Source.DISK, 0, 0, "", "", "", 0));
            }
            Iterator<Entry> inMemory = sorter.sorted();
            assertThat(sorter.runFiles()).isZero();
            for (int i = 0; i < 100; i++) {
                sorter.add(new Entry("b" + i, Entry.Source.DISK, 0, 0, "", "", "", 0));
            }
            assertThat(sorter.runFiles()).as("spilled at 100 - 60 entries, twice").isEqualTo(2);
            int n = 0;
            for (Iterator<Entry> it = sorter.sorted(); it.hasNext(); it.next()) {
                n++;
            }
            assertThat(n).isEqualTo(100);
            assertThat(inMemory).toIterable().hasSize(60);
        }
    }
}

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

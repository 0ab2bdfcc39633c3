package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * Sorts any number of {@link Entry}s in bounded memory: runs of {@code runSize} entries are sorted in memory and
 * written to files in a work directory (in the state dir, never the media store), then merged. Synapse's remote
 * tables have no index on (media_origin, filesystem_id), the order their keys take in S3, so this is how the
 * audit gets the database into S3's order without loading it.
 */
final class ExternalSorter implements AutoCloseable {

    private final Path workDir;
    private final int runSize;
    private final List<Entry> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();
    private long count;

    /** Creates {@code workDir} and removes what an interrupted audit left in it. */
    ExternalSorter(Path workDir, int runSize) {
        this.workDir = requireNonNull(workDir, "workDir is null");
        if (runSize < 1) {
            throw new IllegalArgumentException("runSize must be positive: " + runSize);
        }
        this.runSize = runSize;
        try {
            Files.createDirectories(workDir);
            clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the audit's sort directory " + workDir, e);
        }
    }

    void add(Entry entry) {
        buffer.add(requireNonNull(entry, "entry is null"));
        count++;
        if (buffer.size() >= runSize) {
            spill();
        }
    }

    long count() {
        return count;
    }

    /** Files written so far (0 while everything fits in one run). */
    int runFiles() {
        return runs.size();
    }

    /** Every entry added, in {@link Entry#ORDER}. Call once, after the last {@link #add}. */
    Iterator<Entry> sorted() {
        if (runs.isEmpty()) {
            buffer.sort(Entry.ORDER);
            List<Entry> all = List.copyOf(buffer);
            buffer.clear();
            return all.iterator();
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        return new Merge();
    }

    private void spill() {
        buffer.sort(Entry.ORDER);
        Path run = workDir.resolve("run-" + runs.size() + ".bin");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            for (Entry e : buffer) {
                e.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit's sort file " + run + " (disk full?)", e);
        }
        runs.add(run);
        buffer.clear();
    }

    /** One head entry per run file in a priority queue: memory is one entry and one buffer per run. */
    private final class Merge implements Iterator<Entry> {
        private record Head(Entry entry, DataInputStream in) {}

        private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Entry.ORDER.compare(a.entry, b.entry));

        Merge() {
            for (Path run : runs) {
                try {
                    DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
                    open.add(in);
                    advance(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the audit's sort file " + run, e);
                }
            }
        }

        private void advance(DataInputStream in) {
            try {
                heads.add(new Head(Entry.read(in), in));
            } catch (EOFException end) {
                // this run is exhausted
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit's sort file", e);
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public Entry next() {
            Head head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            advance(head.in);
            return head.entry;
        }
    }

    private void clear() throws IOException {
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith("run-")) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Override
    public void close() {
        for (DataInputStream in : open) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the files are deleted next
            }
        }
        open.clear();
        buffer.clear();
        try {
            clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the audit's sort files in " + workDir, e);
        }
    }
}

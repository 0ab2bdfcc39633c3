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
 *
 * <p>{@link #sorted} may be called more than once: each call returns what was added since the previous one, so a
 * batch can be merged while the next is added (the audit's local media, then its remote media). Entries kept in
 * memory for an earlier batch count against the next batch's run, so memory stays about one run.
 */
final class ExternalSorter implements AutoCloseable {

    private final Path workDir;
    private final int runSize;
    private final List<Entry> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();
    private long count;
    /** The first run file of the batch being added. */
    private int batchStart;
    /** Entries of earlier batches handed out from memory (they may still be being read). */
    private int held;

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
        if (buffer.size() >= Math.max(runSize - held, Math.max(1, runSize / 10))) {
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

    /**
     * Every entry added since the previous call (or since the start), in {@link Entry#ORDER}. The iterator of an
     * earlier batch stays valid while more entries are added, until {@link #close}.
     */
    Iterator<Entry> sorted() {
        if (runs.size() == batchStart) {
            buffer.sort(Entry.ORDER);
            List<Entry> all = List.copyOf(buffer);
            buffer.clear();
            held += all.size();
            return all.iterator();
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        Merge merge = new Merge(List.copyOf(runs.subList(batchStart, runs.size())));
        batchStart = runs.size();
        return merge;
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

        Merge(List<Path> batch) {
            for (Path run : batch) {
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

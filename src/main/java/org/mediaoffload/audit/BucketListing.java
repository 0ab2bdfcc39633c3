package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mediaoffload.audit.AuditBucket.BucketObject;
import org.mediaoffload.pipeline.NamedThreadFactory;
import org.mediaoffload.pipeline.S3KeyOrder;
import org.mediaoffload.store.MediaStoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every object under the prefix in S3's key order, listed as contiguous ranges in parallel: one range per media
 * tree ({@code prefix + tree + "/"}) and one for each gap before, between and after them (where only foreign
 * keys can be). The listing starts when this is constructed, at the audit's start, and runs beside the database
 * scan and the disk walk: each range's pages go to a {@link ListingSpool} file as they arrive, so no lister waits
 * for the merge and memory is one page per range whatever the bucket's size. The merge then reads the ranges in key
 * order, waiting only for pages not listed yet; the concatenation is sorted (each range is checked to be).
 *
 * <p>A range that fails stops the iteration at the next {@link #hasNext}, whichever range the merge is reading: the
 * audit is then incomplete, as it was when the failure was met in order, only sooner.
 */
final class BucketListing implements Iterator<BucketObject>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BucketListing.class);

    static final int PAGE_SIZE = 1000;
    /** Sorts after every key that starts with the text before it (U+10FFFF is the largest code point). */
    private static final String AFTER_ALL = "\uDBFF\uDFFF\uDBFF\uDFFF";
    private static final String SPOOL_PREFIX = "listing-";

    /** One range: {@code Prefix=listPrefix}, from after {@code startAfter}, up to (excluding) {@code stopAt}. */
    record Range(String listPrefix, String startAfter, String stopAt) {}

    /** A range's spool and how far it has been listed and read; the counts are guarded by {@link #monitor}. */
    private static final class Spooled {
        final Range range;
        final ListingSpool spool;
        long listed;
        long read;
        boolean done;

        Spooled(Range range, ListingSpool spool) {
            this.range = range;
            this.spool = spool;
        }
    }

    private final Object monitor = new Object();
    private final List<Spooled> ranges = new ArrayList<>();
    private final ExecutorService listers;
    private final int pageSize;
    /** The first range's failure, guarded by {@link #monitor}. */
    private RuntimeException failure;
    private int current;
    private BucketObject next;
    private boolean closed;

    BucketListing(AuditBucket bucket, String prefix, Path workDir) {
        this(bucket, prefix, workDir, PAGE_SIZE);
    }

    /** @param pageSize MaxKeys of each ListObjectsV2 (tests use small pages to list many pages of few keys) */
    BucketListing(AuditBucket bucket, String prefix, Path workDir, int pageSize) {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(workDir, "workDir is null");
        this.pageSize = pageSize;
        clearSpools(workDir);
        List<Range> list = ranges(prefix);
        for (int i = 0; i < list.size(); i++) {
            ranges.add(new Spooled(list.get(i), new ListingSpool(workDir.resolve(SPOOL_PREFIX + i + ".bin"))));
        }
        listers = Executors.newFixedThreadPool(ranges.size(), new NamedThreadFactory("audit-list"));
        for (Spooled s : ranges) {
            listers.execute(() -> list(bucket, s));
        }
    }

    static List<Range> ranges(String prefix) {
        List<Range> ranges = new ArrayList<>();
        String gapStart = null;
        for (String tree : MediaStoreLayout.TOP_LEVEL_DIRS) {
            String treePrefix = prefix + tree + "/";
            ranges.add(new Range(prefix, gapStart, treePrefix));
            ranges.add(new Range(treePrefix, null, null));
            gapStart = treePrefix + AFTER_ALL;
        }
        ranges.add(new Range(prefix, gapStart, null));
        return ranges;
    }

    private void list(AuditBucket bucket, Spooled s) {
        Range range = s.range;
        try {
            String token = null;
            String previous = range.startAfter();
            boolean stopped = false;
            do {
                AuditBucket.Page page = bucket.list(range.listPrefix(), range.startAfter(), token, pageSize);
                List<BucketObject> objects = new ArrayList<>(page.objects().size());
                for (BucketObject o : page.objects()) {
                    if (range.stopAt() != null && S3KeyOrder.compare(o.key(), range.stopAt()) >= 0) {
                        stopped = true;
                        break;
                    }
                    // The merge's judgement rests on this order; a store that breaks it must not be judged.
                    if (previous != null && S3KeyOrder.compare(o.key(), previous) <= 0) {
                        throw new IllegalStateException("the bucket listed " + o.key() + " after " + previous
                                + ": not in S3's key order, so the audit cannot compare it with the database");
                    }
                    previous = o.key();
                    objects.add(o);
                }
                s.spool.append(objects);
                published(s, objects.size(), false);
                token = page.nextToken();
            } while (token != null && !stopped && !Thread.currentThread().isInterrupted());
            if (Thread.currentThread().isInterrupted()) {
                return; // stopped by close(): nobody reads this range any more
            }
            published(s, 0, true);
        } catch (RuntimeException e) {
            synchronized (monitor) {
                if (failure == null) {
                    failure = e;
                }
                monitor.notifyAll();
            }
        } finally {
            s.spool.endWriting();
        }
    }

    private void published(Spooled s, int objects, boolean done) {
        synchronized (monitor) {
            s.listed += objects;
            s.done = done;
            monitor.notifyAll();
        }
    }

    /** Every range listed to its end (whether or not read yet); false after a failure. */
    boolean allListed() {
        synchronized (monitor) {
            return failure == null && ranges.stream().allMatch(s -> s.done);
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && current < ranges.size()) {
            Spooled s = ranges.get(current);
            if (!waitForRecord(s)) {
                s.spool.close(); // read to its end: its disk space is not needed any more
                current++;
                continue;
            }
            next = s.spool.read();
            s.read++;
        }
        return next != null;
    }

    /** @return true when a record of {@code s} is ready to be read, false when the range has been read to its end */
    private boolean waitForRecord(Spooled s) {
        synchronized (monitor) {
            while (failure == null && s.read == s.listed && !s.done) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while listing the bucket", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return s.read < s.listed;
        }
    }

    @Override
    public BucketObject next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        BucketObject o = next;
        next = null;
        return o;
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops the listers (a stopped or failed audit) and deletes the spool files. Idempotent. */
    void stop() {
        if (closed) {
            return;
        }
        closed = true;
        listers.shutdownNow();
        try {
            // A lister inside a request finishes it first; the spool files can go either way (see ListingSpool).
            if (!listers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.debug("Audit listing threads still inside a request; their spool files are removed anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RuntimeException first = null;
        for (Spooled s : ranges) {
            try {
                s.spool.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** What an audit stopped by a crash or a kill left behind. */
    private static void clearSpools(Path workDir) {
        try {
            Files.createDirectories(workDir);
            try (Stream<Path> files = Files.list(workDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (f.getFileName().toString().startsWith(SPOOL_PREFIX)) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the audit's listing spool in " + workDir, e);
        }
    }
}

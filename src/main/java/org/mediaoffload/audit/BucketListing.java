package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mediaoffload.audit.AuditBucket.BucketObject;
import org.mediaoffload.pipeline.NamedThreadFactory;
import org.mediaoffload.pipeline.S3KeyOrder;
import org.mediaoffload.store.MediaStoreLayout;

/**
 * Every object under the prefix in S3's key order, listed as contiguous ranges in parallel: one range per media
 * tree ({@code prefix + tree + "/"}) and one for each gap before, between and after them (where only foreign
 * keys can be). Each range fills a small bounded queue; the ranges are consumed in key order, so the
 * concatenation is sorted and memory is a few pages whatever the bucket's size.
 */
final class BucketListing implements Iterator<BucketObject>, AutoCloseable {

    static final int PAGE_SIZE = 1000;
    /** Sorts after every key that starts with the text before it (U+10FFFF is the largest code point). */
    private static final String AFTER_ALL = "\uDBFF\uDFFF\uDBFF\uDFFF";

    /** One range: {@code Prefix=listPrefix}, from after {@code startAfter}, up to (excluding) {@code stopAt}. */
    private record Range(String listPrefix, String startAfter, String stopAt) {}

    private static final Object END = new Object();

    private record Failure(RuntimeException error) {}

    private final List<BlockingQueue<Object>> queues = new ArrayList<>();
    private final ExecutorService listers;
    private int current;
    private BucketObject next;

    BucketListing(AuditBucket bucket, String prefix) {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        List<Range> ranges = ranges(prefix);
        listers = Executors.newFixedThreadPool(ranges.size(), new NamedThreadFactory("audit-list"));
        for (Range range : ranges) {
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PAGE_SIZE);
            queues.add(queue);
            listers.execute(() -> list(bucket, range, queue));
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

    private static void list(AuditBucket bucket, Range range, BlockingQueue<Object> queue) {
        try {
            String token = null;
            do {
                AuditBucket.Page page = bucket.list(range.listPrefix(), range.startAfter(), token, PAGE_SIZE);
                for (BucketObject o : page.objects()) {
                    if (range.stopAt() != null && S3KeyOrder.compare(o.key(), range.stopAt()) >= 0) {
                        queue.put(END);
                        return;
                    }
                    queue.put(o);
                }
                token = page.nextToken();
            } while (token != null);
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                queue.put(new Failure(e));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && current < queues.size()) {
            Object item;
            try {
                item = queues.get(current).take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing the bucket", e);
            }
            if (item == END) {
                current++;
            } else if (item instanceof Failure f) {
                throw f.error();
            } else {
                next = (BucketObject) item;
            }
        }
        return next != null;
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
        listers.shutdownNow();
    }
}

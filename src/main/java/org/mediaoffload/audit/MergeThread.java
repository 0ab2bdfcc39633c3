package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.mediaoffload.pipeline.NamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit's merge on a thread of its own ({@code audit-merge}), begun on the first half of the sorted entries (the
 * local media's) while the audit's thread still reads and sorts the second (the remote media's, whose keys all sort
 * after). The merge waits for the second half once it has compared the first. It never outlives the audit:
 * {@link #close} interrupts it and waits for it, because the audit reads the merge's tallies for its report and
 * closes what the merge uses (the sorter, the listing, the re-checks, the export, then the journal) right after.
 */
final class MergeThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MergeThread.class);

    /** How long an audit that is being stopped waits for its merge to notice. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final CompletableFuture<Iterator<Entry>> second = new CompletableFuture<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(new NamedThreadFactory("audit-merge"));
    private final Future<Boolean> merged;

    /** @param merge the merge of all the entries it is given; false when it stopped early (max-duration) */
    MergeThread(Iterator<Entry> first, Predicate<Iterator<Entry>> merge) {
        requireNonNull(merge, "merge is null");
        // Only Halves holds the first half, and lets go of it for the second: a first half sorted in memory
        // (ExternalSorter's held entries) is not kept through the second half's merge.
        Halves halves = new Halves(requireNonNull(first, "first is null"), second);
        merged = thread.submit(() -> merge.test(halves));
    }

    /** The second half, sorted: the merge goes on with it. @return the merge's result */
    boolean finish(Iterator<Entry> rest) {
        second.complete(requireNonNull(rest, "rest is null"));
        try {
            return merged.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing with the bucket", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The second half could not be read: the merge fails once it has compared the first, and that end is waited for
     * (on an interrupted thread, {@link #close} does the waiting); the caller reports {@code cause}.
     */
    void fail(Throwable cause) {
        second.completeExceptionally(requireNonNull(cause, "cause is null"));
        try {
            merged.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("The merge ended with the read's failure: {}", e.getCause().toString());
        }
    }

    /** Interrupts the merge if it still runs and waits for it (up to {@link #STOP_WAIT}), keeping an interrupt. */
    @Override
    public void close() {
        // Whatever ended the audit, the merge's second half is never coming now.
        second.completeExceptionally(new IllegalStateException("the audit ended"));
        if (!ThreadsEnd.interruptAndAwait(thread, STOP_WAIT)) {
            LOG.warn("The audit's merge did not stop within {}; the audit ends without it", STOP_WAIT);
        }
    }

    /** The first half's entries, then the second's, waiting for their sort. */
    private static final class Halves implements Iterator<Entry> {
        private Iterator<Entry> current;
        private CompletableFuture<Iterator<Entry>> next;

        Halves(Iterator<Entry> first, CompletableFuture<Iterator<Entry>> second) {
            this.current = first;
            this.next = second;
        }

        @Override
        public boolean hasNext() {
            if (current.hasNext()) {
                return true;
            }
            if (next == null) {
                return false;
            }
            try {
                current = next.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("the second half of the entries could not be read: " + e.getCause(),
                        e.getCause());
            }
            next = null;
            return current.hasNext();
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }
}

package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.mediaoffload.pipeline.NamedThreadFactory;

/**
 * Runs the audit's producers of entries (the database scan, the media store walk) on threads of their own and hands
 * what they make, in chunks, to the one thread that sorts. Each producer's own work (a JDBC page and the entries
 * built from it, the stats of a directory) then overlaps the others' and the sort's spills, where in series the
 * audit waited for the database, then for the disk, then sorted. Memory is a few chunks per producer: a producer
 * waits when the sorting thread is that far behind.
 *
 * <p>One producer's entries reach the sink in the order it made them, so ties in the sort (two rows naming one key)
 * are broken as before; producers' entries interleave in any order, which the sort does not see.
 */
final class EntryFeed implements AutoCloseable {

    /** Makes entries and gives each to {@code out}, on its own thread; throws to fail the audit. */
    @FunctionalInterface
    interface Producer {
        void produce(Consumer<Entry> out);
    }

    /** Entries per handover: large enough that the queue costs nothing per entry, small enough to stay in cache. */
    static final int CHUNK = 2_000;
    /** Chunks made but not yet sorted, per producer, before that producer waits. */
    private static final int QUEUED_PER_PRODUCER = 4;
    /** How long closing waits for producers still running (one inside a database query finishes it first). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** A chunk of entries, or a producer's end (entries null), with its failure if it failed. */
    private record Chunk(List<Entry> entries, RuntimeException failure) {}

    private final List<Producer> producers;
    private final BlockingQueue<Chunk> queue;
    private final ExecutorService threads;

    /** @param name the threads' name ({@code name-1}, ...: they show in log lines and thread dumps) */
    EntryFeed(String name, List<Producer> producers) {
        this.producers = List.copyOf(requireNonNull(producers, "producers is null"));
        this.queue = new ArrayBlockingQueue<>(QUEUED_PER_PRODUCER * Math.max(1, this.producers.size()) + 1);
        this.threads = Executors.newFixedThreadPool(Math.max(1, this.producers.size()), new NamedThreadFactory(name));
    }

    /**
     * Starts every producer and gives each entry to {@code sink} on the calling thread, until every producer has
     * ended. A producer's failure is rethrown here once the others have been told to stop; what they made is dropped.
     */
    void drainTo(Consumer<Entry> sink) {
        requireNonNull(sink, "sink is null");
        for (Producer producer : producers) {
            threads.execute(() -> run(producer));
        }
        int running = producers.size();
        while (running > 0) {
            Chunk chunk = take();
            if (chunk.failure() != null) {
                throw chunk.failure();
            }
            if (chunk.entries() == null) {
                running--;
                continue;
            }
            chunk.entries().forEach(sink);
        }
    }

    private void run(Producer producer) {
        try {
            Batcher out = new Batcher();
            producer.produce(out);
            out.flush();
            put(new Chunk(null, null));
        } catch (Stopped stopped) {
            // the sorting thread gave up (it failed, or another producer did): nothing waits for this one
        } catch (RuntimeException e) {
            offerFailure(e);
        } catch (Error e) {
            offerFailure(new IllegalStateException("the audit's " + Thread.currentThread().getName()
                    + " thread failed: " + e, e));
            throw e;
        }
    }

    /** One producer's entries, handed over a chunk at a time. */
    private final class Batcher implements Consumer<Entry> {
        private List<Entry> chunk = new ArrayList<>(CHUNK);

        @Override
        public void accept(Entry entry) {
            chunk.add(requireNonNull(entry, "entry is null"));
            if (chunk.size() >= CHUNK) {
                flush();
            }
        }

        void flush() {
            if (!chunk.isEmpty()) {
                put(new Chunk(chunk, null));
                chunk = new ArrayList<>(CHUNK);
            }
        }
    }

    private void put(Chunk chunk) {
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    /** A failure must reach the sorting thread even when the queue is full of chunks it will never read. */
    private void offerFailure(RuntimeException failure) {
        Chunk chunk = new Chunk(null, failure);
        while (!queue.offer(chunk)) {
            queue.poll();
        }
    }

    private Chunk take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the audit's sources", e);
        }
    }

    /** Thrown inside a producer told to stop, to unwind it. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    /**
     * Stops producers still running (after a failure; after {@link #drainTo} returned normally none is) and waits
     * briefly for them: a producer inside a database query finishes that query first. The wait holds on a thread
     * that was interrupted (the daemon stopping its audit), whose interrupt is kept: that is when the audit ends and
     * the daemon closes the database next, so a producer still running would read on past the audit's end.
     */
    @Override
    public void close() {
        ThreadsEnd.interruptAndAwait(threads, STOP_WAIT);
        queue.clear();
    }
}

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's work as it is found. One thread walks the media store in key order ({@link LocalStore#walk}), looks each
 * chunk of media up in the database, applies the skip rules and puts the eligible rows on a bounded queue, which the
 * run takes from ({@link #next}); when the run falls behind, the queue fills and the walk waits. A second thread
 * counts the media on disk by name ({@link LocalStore#countMedia}) so the totals can be extrapolated long before the
 * walk is done.
 *
 * <p>Memory: one chunk of ids, the queue and the directory being listed, whatever the size of the store. Chunks
 * start small, so the first upload waits for a few dozen media to be looked up, and grow to amortise the lookups
 * (a remote lookup reads its origin's rows once, see {@code CatalogDialect#remoteEligible}).
 */
final class DiscoveryStream implements WorkStream {
    private static final Logger log = LoggerFactory.getLogger(DiscoveryStream.class);

    static final int FIRST_CHUNK = 64;
    static final int MAX_CHUNK = 16_384;
    /** Rows waiting for the run: a few seconds of uploads, and room for a small run's whole work (exact totals). */
    static final int QUEUE = 4_096;
    /** Every eligible media is listed on disk for the totals up to this many; beyond, one in {@link #SAMPLE_EVERY}. */
    static final int COUNT_ALL = 4_096;
    static final int SAMPLE_EVERY = 16;
    private static final long POLL_MS = 50;

    /** Looks up a chunk of media found on disk: hands each eligible row to the sink, in any order. */
    interface Lookup {
        void eligible(List<DiskMediaId> chunk, Consumer<MediaRow> sink);
    }

    private final LocalStore localStore;
    private final Lookup lookup;
    private final Predicate<MediaRow> admit;
    private final StopSignal stop;
    private final BooleanSupplier timeUp;
    private final BlockingQueue<MediaRow> queue = new ArrayBlockingQueue<>(QUEUE);
    private Runnable afterFirstChunk = () -> {};
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Totals totals = new Totals();
    private volatile boolean closed;
    private volatile boolean done;
    private Thread walker;
    private Thread counter;
    private boolean countStarted;

    private DiscoveryStream(LocalStore localStore, Lookup lookup, Predicate<MediaRow> admit, StopSignal stop,
            BooleanSupplier timeUp) {
        this.localStore = requireNonNull(localStore, "localStore is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
        this.admit = requireNonNull(admit, "admit is null");
        this.stop = requireNonNull(stop, "stop is null");
        this.timeUp = requireNonNull(timeUp, "timeUp is null");
    }

    /**
     * @param timeUp asked while {@link #next} waits: true ends the wait as a stop (the run's time limit)
     * @param admit  the skip rules: true when a looked-up row is work for this run
     */
    static DiscoveryStream start(LocalStore localStore, StopSignal stop, BooleanSupplier timeUp, Lookup lookup,
            Predicate<MediaRow> admit) {
        return start(localStore, stop, timeUp, lookup, admit, () -> {});
    }

    /**
     * As {@link #start(LocalStore, StopSignal, BooleanSupplier, Lookup, Predicate)}; {@code afterFirstChunk} runs on
     * the discovery thread once the first chunk is queued, before the walk goes on and before the count-ahead starts:
     * it may block (discovery started before the run is admitted goes no further than its first chunk) or throw
     * {@link StopSignal.StoppedException} to end discovery.
     */
    static DiscoveryStream start(LocalStore localStore, StopSignal stop, BooleanSupplier timeUp, Lookup lookup,
            Predicate<MediaRow> admit, Runnable afterFirstChunk) {
        DiscoveryStream stream = new DiscoveryStream(localStore, lookup, admit, stop, timeUp);
        stream.afterFirstChunk = afterFirstChunk;
        stream.walker = new NamedThreadFactory("offload-discovery").newThread(stream::discover);
        stream.counter = new NamedThreadFactory("offload-count-ahead").newThread(stream::countAhead);
        stream.walker.start();
        return stream;
    }

    @Override
    public Optional<MediaRow> next() {
        try {
            while (true) {
                if (stop.stopped() || closed || timeUp.getAsBoolean()) {
                    throw new StopSignal.StoppedException();
                }
                boolean finished = done; // read before polling: every row was queued before done was set
                MediaRow row = queue.poll(finished ? 0 : POLL_MS, TimeUnit.MILLISECONDS);
                if (row != null) {
                    return Optional.of(row);
                }
                if (finished) {
                    RuntimeException e = failure.get();
                    if (e != null) {
                        throw e;
                    }
                    return Optional.empty();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopSignal.StoppedException();
        }
    }

    @Override
    public WorkEstimate estimate() {
        return totals.estimate(done && failure.get() == null);
    }

    @Override
    public void close() {
        closed = true;
        // The threads notice within one poll, or at their next directory or chunk; joining is not needed (a
        // lookup in progress ends with its statement timeout at worst, and the session is synchronized).
        queue.clear();
    }

    /** Rows waiting for the run (tests). */
    int queued() {
        return queue.size();
    }

    /** Whether discovery's walk has ended (tests). */
    boolean finished() {
        return !walker.isAlive();
    }

    private void discover() {
        Chunk chunk = new Chunk();
        try {
            localStore.walk(id -> {
                checkOpen();
                totals.walked();
                chunk.add(id);
                if (chunk.full()) {
                    chunk.lookUp();
                    if (!countStarted) {
                        afterFirstChunk.run();
                    }
                    startCountAhead();
                }
            });
            chunk.lookUp();
            log.info("Discovery done: {} media on disk, {} of them work for this run", totals.walked,
                    totals.eligible);
        } catch (StopSignal.StoppedException e) {
            log.debug("Discovery ended early: the run stopped");
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            done = true;
        }
    }

    /** Only once the first chunk is queued: the first upload must not wait for a second walk. */
    private void startCountAhead() {
        if (!countStarted) {
            countStarted = true;
            counter.start();
        }
    }

    private void countAhead() {
        try {
            long media = localStore.countMedia();
            totals.onDisk = media;
            log.debug("Count-ahead: {} media on disk", media);
        } catch (RuntimeException e) {
            // Only the totals suffer: the walk reports the store's problems.
            log.debug("Count-ahead failed: {}", e.toString());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StopSignal.StoppedException();
        }
        stop.throwIfStopped();
    }

    private void offer(MediaRow row) {
        try {
            while (!queue.offer(row, POLL_MS, TimeUnit.MILLISECONDS)) {
                checkOpen();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopSignal.StoppedException();
        }
    }

    /** Media found on disk, waiting to be looked up together; handed over in walk order. */
    private final class Chunk {
        private final List<DiskMediaId> ids = new ArrayList<>();
        private int size = FIRST_CHUNK;

        void add(DiskMediaId id) {
            ids.add(id);
        }

        boolean full() {
            return ids.size() >= size;
        }

        void lookUp() {
            if (ids.isEmpty()) {
                return;
            }
            Map<DiskMediaId, Integer> position = new HashMap<>(ids.size() * 2);
            for (int i = 0; i < ids.size(); i++) {
                position.putIfAbsent(ids.get(i), i);
            }
            MediaRow[] found = new MediaRow[ids.size()];
            lookup.eligible(List.copyOf(ids), row -> {
                Integer at = position.get(DiskMediaId.of(row));
                if (at != null && found[at] == null) { // the first row per media on disk, as the join always did
                    found[at] = row;
                }
            });
            ids.clear();
            size = Math.min(MAX_CHUNK, size * 2);
            for (MediaRow row : found) {
                checkOpen();
                totals.judged();
                if (row != null && admit.test(row)) {
                    totals.eligible(row, localStore);
                    offer(row);
                }
            }
        }
    }

    /**
     * The figures behind {@link #estimate}: written by the discovery thread (and {@code onDisk} by the count-ahead
     * thread), read by any.
     */
    private static final class Totals {
        private volatile long walked;
        /** Media whose lookup is done and whose row, if any, went through the skip rules. */
        private volatile long judged;
        private volatile long eligible;
        private volatile long counted;
        private volatile long countedFiles;
        private volatile long countedBytes;
        private volatile long onDisk = -1;

        void walked() {
            walked++;
        }

        void judged() {
            judged++;
        }

        /** Lists the media's files for the totals: all of a small run's, a sample of a large one's. */
        void eligible(MediaRow row, LocalStore localStore) {
            long n = eligible++;
            if (n >= COUNT_ALL && n % SAMPLE_EVERY != 0) {
                return;
            }
            try {
                if (localStore.filesOf(row) instanceof LocalStore.MediaFiles.Found found) {
                    countedFiles += found.files().size();
                    countedBytes += found.files().stream().mapToLong(LocalFile::size).sum();
                }
            } catch (UncheckedIOException e) {
                // The run meets the same problem when it lists the media, and reports it there.
            }
            counted++;
        }

        WorkEstimate estimate(boolean walkDone) {
            long e = eligible;
            long j = judged;
            long c = counted;
            long files = countedFiles;
            long bytes = countedBytes;
            if (walkDone && c == e) {
                return new WorkEstimate(e, files, bytes, true);
            }
            long disk = onDisk;
            double media = e;
            if (!walkDone && disk > j) {
                // The media not judged yet are taken to be eligible as often as those judged so far.
                media += (disk - j) * (j == 0 ? 1.0 : (double) e / j);
            }
            double filesPerMedia = c == 0 ? 1.0 : (double) files / c;
            double bytesPerMedia = c == 0 ? 0.0 : (double) bytes / c;
            return new WorkEstimate(Math.round(media), Math.round(media * filesPerMedia),
                    Math.round(media * bytesPerMedia), false);
        }
    }
}

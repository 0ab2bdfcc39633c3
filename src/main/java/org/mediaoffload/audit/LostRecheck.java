package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.mediaoffload.pipeline.LocalStore;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.pipeline.NamedThreadFactory;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.S3KeyOrder;

/**
 * A media is reported lost only after a second look, in batches: its row is read again (a purge in the meantime
 * is not a loss), then its original is looked for on disk, then in the bucket (an upload or a restore in the
 * meantime is not a loss either; an offload deletes the local copy only after its upload, so a bucket check after
 * the disk check sees the object of a file that left the disk in between). The merge saw the three sources at
 * slightly different moments; this closes that gap for the one class that pages someone.
 *
 * <p>The second look runs beside the merge, not in it: batches go to checker threads (a few batches at a time, so
 * memory stays bounded and the merge waits only when the checks fall that far behind), each of which re-reads its
 * batch's rows and spreads the disk and bucket checks over {@code concurrency} threads. The batches are checked side
 * by side (one batch's listing need not wait for the previous batch's) and recorded one after the other in the
 * merge's order, so the report's samples and the export come out as with one checker.
 *
 * <p>Its bucket checks cost what the bucket holds, not what the database lost: candidates come in key order, grouped
 * into {@linkplain Stretch stretches} of one media tree between which the merge listed at most one page of objects.
 * A stretch of several candidates is checked by one listing that starts right before its first key and reads on past
 * its last: a key it does not return is absent (the listing was sent after that candidate's disk check), a key it
 * does return (written since the merge passed) gets a HEAD with our SSE-C key like an isolated candidate, since a
 * listing cannot tell whether our key reads the object. A bucket with 180,000 lost rows beside 20,000 objects so
 * costs about one listing per 1,000 objects instead of one per directory or one HEAD per lost media.
 */
final class LostRecheck implements AutoCloseable {
    /** A batch is handed over at this many candidates (memory: a few batches of ~250 bytes per candidate)... */
    static final int BATCH = 10_000;
    /** ...or, when a stretch starts, at this many stretches (isolated candidates: one HEAD each, as many per batch). */
    static final int BATCH_STRETCHES = 500;
    /** Batches handed over but not yet checked: the merge waits beyond this, so memory is a few batches. */
    static final int QUEUED_BATCHES = 2;
    /** A stretch is listed instead of HEADed when it has at least this many candidates. */
    static final int RELIST_MIN_CANDIDATES = 8;
    /** Fewest candidates a looker checks on disk at once: consecutive ones share their directories' opening. */
    static final int DISK_SLICE = 256;
    /** MaxKeys of a stretch's listing: S3's largest page. */
    static final int MAX_KEYS = 1000;
    /** Room in a stretch's page for objects written since the merge listed its range, and for the key past it. */
    private static final int PAGE_SLACK = 16;
    /**
     * A stretch spans at most this many objects listed by the merge, so that one page reaches past its last key
     * (a stretch of a whole page would need a second listing to see the key after its last candidate).
     */
    static final int STRETCH_OBJECTS = MAX_KEYS - PAGE_SLACK;

    /** @param objectsBefore objects the merge had listed when it found this candidate (to size its stretch) */
    private record Candidate(MediaRef ref, String relative, long mediaLength, long objectsBefore) {}

    /**
     * Consecutive candidates (in key order) in one media tree ({@code tree}: its top-level directory), the merge
     * having listed at most a page of objects ({@link #stretchObjects}) between the first and the last.
     */
    private record Stretch(String tree, List<Candidate> candidates) {
        Candidate first() {
            return candidates.get(0);
        }

        Candidate last() {
            return candidates.get(candidates.size() - 1);
        }

        boolean takes(String otherTree, long objectsBefore, int maxObjects) {
            return tree.equals(otherTree) && objectsBefore - first().objectsBefore() <= maxObjects;
        }

        long objectsSpanned() {
            return last().objectsBefore() - first().objectsBefore();
        }
    }

    private final AuditCatalog catalog;
    private final AuditBucket bucket;
    private final LocalStore local;
    private final AuditJournal journal;
    private final String prefix;
    private final Tallies tallies;
    private final Optional<AuditExport> export;
    private final boolean acknowledge;
    private final int stretchObjects;
    private final int batchSize;
    /** As many as batches may be in flight: each batch is checked as soon as it is handed over. */
    private final ExecutorService checkers =
            Executors.newFixedThreadPool(QUEUED_BATCHES + 1, new NamedThreadFactory("audit-recheck"));
    /** Records the batches' results one at a time, in the order they were handed over. */
    private final ExecutorService recorder = Executors.newSingleThreadExecutor(new NamedThreadFactory("audit-record"));
    private final ExecutorService lookers;
    private final int lookerCount;
    private final Semaphore queued = new Semaphore(QUEUED_BATCHES + 1);
    private final List<Future<?>> inFlight = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicLong newLost = new AtomicLong();
    private final AtomicLong acknowledgedLost = new AtomicLong();
    private final AtomicLong heads = new AtomicLong();
    private final AtomicLong listings = new AtomicLong();
    private List<Stretch> pending = new ArrayList<>();
    private int pendingCandidates;
    private long objectsSeen;

    LostRecheck(AuditCatalog catalog, AuditBucket bucket, LocalStore local, AuditJournal journal, String prefix,
            Tallies tallies, Optional<AuditExport> export, boolean acknowledge, int concurrency) {
        this(catalog, bucket, local, journal, prefix, tallies, export, acknowledge, concurrency, STRETCH_OBJECTS,
                BATCH);
    }

    /**
     * @param stretchObjects {@link #STRETCH_OBJECTS}; tests use small stretches to have many of few objects
     * @param batch          {@link #BATCH}; tests use small batches to have many of few candidates
     */
    LostRecheck(AuditCatalog catalog, AuditBucket bucket, LocalStore local, AuditJournal journal, String prefix,
            Tallies tallies, Optional<AuditExport> export, boolean acknowledge, int concurrency, int stretchObjects,
            int batch) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.local = requireNonNull(local, "local is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.tallies = requireNonNull(tallies, "tallies is null");
        this.export = requireNonNull(export, "export is null");
        this.acknowledge = acknowledge;
        this.stretchObjects = Math.max(1, Math.min(STRETCH_OBJECTS, stretchObjects));
        this.batchSize = Math.max(2, Math.min(BATCH, batch));
        this.lookerCount = Math.max(1, concurrency);
        this.lookers = Executors.newFixedThreadPool(lookerCount, new NamedThreadFactory("audit-look"));
    }

    /** The merge listed an object (any key): how dense the bucket is between two candidates. */
    void object() {
        objectsSeen++;
    }

    /** Merge thread: a row whose original the merge found neither on disk nor in the bucket. */
    void candidate(Entry row, String relative) {
        rethrow();
        MediaKind kind = row.origin().isEmpty() ? MediaKind.LOCAL : MediaKind.REMOTE;
        Candidate c = new Candidate(new MediaRef(kind, row.origin(), row.mediaId()), relative, row.size(), objectsSeen);
        String tree = tree(relative);
        Stretch last = pending.isEmpty() ? null : pending.get(pending.size() - 1);
        if (last != null && last.takes(tree, objectsSeen, stretchObjects)) {
            last.candidates().add(c);
        } else {
            if (pending.size() >= BATCH_STRETCHES || pendingCandidates >= batchSize / 2) {
                handOver(); // at a stretch's start, so that stretches are rarely cut in two
            }
            List<Candidate> in = new ArrayList<>();
            in.add(c);
            pending.add(new Stretch(tree, in));
        }
        if (++pendingCandidates >= batchSize) {
            handOver();
        }
    }

    /**
     * After the merge, on the audit's thread (the merge's end is awaited first, which publishes what it handed
     * over): checks what is pending and waits for every batch; the counts are final after it.
     */
    void finish() {
        handOver();
        for (Future<?> f : inFlight) {
            await(f);
        }
        inFlight.clear();
        rethrow();
    }

    private void handOver() {
        if (pending.isEmpty()) {
            return;
        }
        List<Stretch> batch = pending;
        pending = new ArrayList<>();
        pendingCandidates = 0;
        try {
            queued.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-checking lost media", e);
        }
        inFlight.removeIf(Future::isDone);
        Future<List<Candidate>> checked = checkers.submit(() -> failure.get() == null ? check(batch) : List.of());
        inFlight.add(recorder.submit(() -> {
            try {
                List<Candidate> confirmed = await(checked);
                if (failure.get() == null) {
                    record(confirmed);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                queued.release();
            }
        }));
    }

    private void rethrow() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Checker thread: row, then disk, then bucket, for one batch; the candidates still lost, in key order. */
    private List<Candidate> check(List<Stretch> batch) {
        List<Candidate> all = new ArrayList<>();
        batch.forEach(s -> all.addAll(s.candidates()));
        Map<MediaRef, MediaRow> rows = catalog.reread(all.stream().map(Candidate::ref).toList());
        List<Candidate> alive = new ArrayList<>();
        List<MediaRow> aliveRows = new ArrayList<>();
        for (Candidate c : all) {
            MediaRow now = rows.get(c.ref());
            if (now != null && now.mediaLength().isPresent()) {
                alive.add(c);
                aliveRows.add(now);
            }
        }
        // In key order, in slices (one per looker at most): each slice opens a directory once for its consecutive
        // candidates in it. Every row was read again above, before any of these looks.
        int slice = Math.max(DISK_SLICE, -Math.floorDiv(-alive.size(), lookerCount));
        List<Callable<BitSet>> disk = new ArrayList<>();
        for (int from = 0; from < alive.size(); from += slice) {
            List<MediaRow> part = aliveRows.subList(from, Math.min(alive.size(), from + slice));
            disk.add(() -> local.originalsOnDisk(part));
        }
        Set<Candidate> offDisk = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Future<BitSet>> looked = invokeAll(disk);
        for (int s = 0; s < looked.size(); s++) {
            BitSet onDisk = await(looked.get(s));
            int from = s * slice;
            int to = Math.min(alive.size(), from + slice);
            for (int i = from; i < to; i++) {
                if (!onDisk.get(i - from)) {
                    offDisk.add(alive.get(i));
                }
            }
        }
        // Every disk check is done before the first bucket check starts (the order of proof above).
        List<Callable<List<Candidate>>> bucketChecks = new ArrayList<>();
        for (Stretch s : batch) {
            List<Candidate> left = s.candidates().stream().filter(offDisk::contains).toList();
            if (left.size() >= RELIST_MIN_CANDIDATES) {
                Stretch stretch = new Stretch(s.tree(), left);
                bucketChecks.add(() -> relisted(stretch));
            } else {
                for (Candidate c : left) {
                    bucketChecks.add(() -> headed(c) ? List.of(c) : List.of());
                }
            }
        }
        List<Candidate> confirmed = new ArrayList<>();
        for (Future<List<Candidate>> f : invokeAll(bucketChecks)) {
            confirmed.addAll(await(f));
        }
        confirmed.sort((a, b) -> S3KeyOrder.compare(a.relative(), b.relative()));
        return confirmed;
    }

    /** The media tree of a key (relative to our prefix): its top-level directory with the slash, or "". */
    static String tree(String relative) {
        int slash = relative.indexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash + 1);
    }

    /**
     * The longest common prefix of two keys, not ending inside a surrogate pair: every key between them in S3's
     * order (code points) starts with it, so a listing under it returns each of them (and is narrower for stores
     * whose listing costs what is under the prefix, like S3Proxy's).
     */
    static String commonPrefix(String a, String b) {
        int n = 0;
        int max = Math.min(a.length(), b.length());
        while (n < max && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        if (n > 0 && Character.isHighSurrogate(a.charAt(n - 1))) {
            n--;
        }
        return a.substring(0, n);
    }

    /**
     * One listing from right before the stretch's first key, page after page until a page passes its last key (or
     * the listing ends): a candidate not returned is absent; those returned (written since the merge passed) are
     * HEADed like any other.
     */
    private List<Candidate> relisted(Stretch stretch) {
        List<Candidate> candidates = stretch.candidates();
        String first = prefix + stretch.first().relative();
        String last = prefix + stretch.last().relative();
        String listPrefix = commonPrefix(first, last);
        // Exclusive bound: a proper prefix of the first key sorts right before it.
        String startAfter = first.substring(0, first.offsetByCodePoints(first.length(), -1));
        int maxKeys = (int) Math.min(MAX_KEYS, stretch.objectsSpanned() + PAGE_SLACK);
        Set<String> listed = new HashSet<>();
        String token = null;
        boolean past = false;
        do {
            AuditBucket.Page page = bucket.list(listPrefix, startAfter, token, maxKeys);
            listings.incrementAndGet();
            for (AuditBucket.BucketObject o : page.objects()) {
                if (S3KeyOrder.compare(o.key(), last) > 0) {
                    past = true;
                    break;
                }
                listed.add(o.key());
            }
            token = page.nextToken();
        } while (token != null && !past);
        List<Candidate> absent = new ArrayList<>();
        for (Candidate c : candidates) {
            if (!listed.contains(prefix + c.relative()) || headed(c)) {
                absent.add(c);
            }
        }
        return absent;
    }

    /** @return true when the HEAD does not show an object Synapse can serve (absent, or 403: no proof either way) */
    private boolean headed(Candidate c) {
        heads.incrementAndGet();
        HeadResult head = bucket.head(prefix + c.relative());
        if (head instanceof HeadResult.Present) {
            return false;
        }
        if (head instanceof HeadResult.Unreadable) {
            tallies.add(AuditClass.UNREADABLE, c.mediaLength(), c.relative());
            return false;
        }
        return true;
    }

    private void record(List<Candidate> confirmed) {
        List<String> ids = confirmed.stream().map(c -> c.ref().toString()).toList();
        Set<String> known = journal.acknowledged(ids);
        for (Candidate c : confirmed) {
            String id = c.ref().toString();
            boolean wasKnown = known.contains(id);
            tallies.add(c.ref().kind() == MediaKind.LOCAL ? AuditClass.LOST : AuditClass.LOST_REMOTE,
                    c.mediaLength(), id);
            (wasKnown ? acknowledgedLost : newLost).incrementAndGet();
            export.ifPresent(e -> e.lost(c.ref().kind().name().toLowerCase(Locale.ROOT), c.ref().origin(),
                    c.ref().mediaId(), prefix + c.relative(), c.mediaLength(), wasKnown));
        }
        if (acknowledge && !confirmed.isEmpty()) {
            journal.acknowledge(ids, Instant.now());
        }
    }

    private <T> List<Future<T>> invokeAll(List<Callable<T>> tasks) {
        try {
            return lookers.invokeAll(tasks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-checking lost media", e);
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-checking lost media", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    long newLost() {
        return newLost.get();
    }

    long acknowledgedLost() {
        return acknowledgedLost.get();
    }

    /**
     * What the second look found and cost the store.
     *
     * @param heads    HEADs sent
     * @param listings range listings sent instead of HEADs
     */
    record Counts(long newLost, long heads, long listings) {}

    Counts counts() {
        return new Counts(newLost.get(), heads.get(), listings.get());
    }

    @Override
    public void close() {
        checkers.shutdownNow();
        recorder.shutdownNow();
        lookers.shutdownNow();
    }
}

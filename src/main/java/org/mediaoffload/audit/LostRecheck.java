package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.mediaoffload.pipeline.LocalFile;
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
 * <p>The second look runs beside the merge, not in it: batches go to one checker thread (a few batches queued, so
 * memory stays bounded and the merge waits only when the checks fall that far behind), which re-reads the rows and
 * spreads the disk and bucket checks over {@code concurrency} threads. The bucket check of a batch's candidates in
 * one directory range ({@link #group}) is one listing of that range where the merge saw few objects in it (a store
 * with many lost media: one page instead of one HEAD per media); elsewhere, and for every candidate such a listing
 * does show, it is a HEAD with our SSE-C key (a listing cannot tell whether our key reads the object).
 */
final class LostRecheck implements AutoCloseable {
    static final int BATCH = 500;
    /** Batches handed over but not yet checked: the merge waits beyond this, so memory is a few batches. */
    static final int QUEUED_BATCHES = 2;
    /** A range is re-listed instead of HEADed when it has at least this many candidates... */
    static final int RELIST_MIN_CANDIDATES = 8;
    /** ...and the merge saw at most this many objects in it (one ListObjectsV2 page). */
    static final int RELIST_MAX_OBJECTS = 1000;

    /** @param objectsBefore objects the merge had listed when it found this candidate (to size its range) */
    private record Candidate(MediaRef ref, String relative, long mediaLength, long objectsBefore) {}

    /** Consecutive candidates (in key order) under {@code listPrefix} (relative to our prefix). */
    private record Range(String listPrefix, List<Candidate> candidates) {
        boolean relistable() {
            return candidates.size() >= RELIST_MIN_CANDIDATES && candidates.get(candidates.size() - 1).objectsBefore()
                    - candidates.get(0).objectsBefore() <= RELIST_MAX_OBJECTS;
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
    private final ExecutorService checker = Executors.newSingleThreadExecutor(new NamedThreadFactory("audit-recheck"));
    private final ExecutorService lookers;
    private final Semaphore queued = new Semaphore(QUEUED_BATCHES + 1);
    private final List<Future<?>> inFlight = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicLong newLost = new AtomicLong();
    private final AtomicLong acknowledgedLost = new AtomicLong();
    private final AtomicLong heads = new AtomicLong();
    private final AtomicLong listings = new AtomicLong();
    private List<Candidate> pending = new ArrayList<>();
    private long objectsSeen;

    LostRecheck(AuditCatalog catalog, AuditBucket bucket, LocalStore local, AuditJournal journal, String prefix,
            Tallies tallies, Optional<AuditExport> export, boolean acknowledge, int concurrency) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.local = requireNonNull(local, "local is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.tallies = requireNonNull(tallies, "tallies is null");
        this.export = requireNonNull(export, "export is null");
        this.acknowledge = acknowledge;
        this.lookers = Executors.newFixedThreadPool(Math.max(1, concurrency), new NamedThreadFactory("audit-look"));
    }

    /** The merge listed an object (any key): how dense the bucket is between two candidates. */
    void object() {
        objectsSeen++;
    }

    /** Merge thread: a row whose original the merge found neither on disk nor in the bucket. */
    void candidate(Entry row, String relative) {
        rethrow();
        MediaKind kind = row.origin().isEmpty() ? MediaKind.LOCAL : MediaKind.REMOTE;
        pending.add(new Candidate(new MediaRef(kind, row.origin(), row.mediaId()), relative, row.size(), objectsSeen));
        if (pending.size() >= BATCH) {
            handOver();
        }
    }

    /** Merge thread: checks what is pending and waits for every batch; the counts are final after it. */
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
        List<Candidate> batch = pending;
        pending = new ArrayList<>();
        try {
            queued.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-checking lost media", e);
        }
        inFlight.removeIf(Future::isDone);
        inFlight.add(checker.submit(() -> {
            try {
                if (failure.get() == null) {
                    check(batch);
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

    /** Checker thread: row, then disk, then bucket, for one batch. */
    private void check(List<Candidate> batch) {
        Map<MediaRef, MediaRow> rows = catalog.reread(batch.stream().map(Candidate::ref).toList());
        List<Callable<Candidate>> disk = new ArrayList<>();
        for (Candidate c : batch) {
            MediaRow now = rows.get(c.ref());
            if (now != null && now.mediaLength().isPresent()) {
                disk.add(() -> onDisk(now) ? null : c);
            }
        }
        List<Candidate> offDisk = new ArrayList<>();
        for (Future<Candidate> f : invokeAll(disk)) {
            Candidate c = await(f);
            if (c != null) {
                offDisk.add(c);
            }
        }
        // Every disk check is done before the first bucket check starts (the order of proof above).
        List<Callable<List<Candidate>>> bucketChecks = new ArrayList<>();
        for (Range range : ranges(offDisk)) {
            if (range.relistable()) {
                bucketChecks.add(() -> relisted(range));
            } else {
                for (Candidate c : range.candidates()) {
                    bucketChecks.add(() -> headed(c) ? List.of(c) : List.of());
                }
            }
        }
        List<Candidate> confirmed = new ArrayList<>();
        for (Future<List<Candidate>> f : invokeAll(bucketChecks)) {
            confirmed.addAll(await(f));
        }
        confirmed.sort((a, b) -> S3KeyOrder.compare(a.relative(), b.relative()));
        record(confirmed);
    }

    /**
     * Consecutive candidates (in key order) of one {@link #group}; neighbouring groups too small to list on their own
     * are listed together under their parent where that is below a top-level tree ({@code remote_content/<origin>/}:
     * a remote origin's lost media are spread over many more directories than the local ones).
     */
    private static List<Range> ranges(List<Candidate> candidates) {
        List<Range> ranges = new ArrayList<>();
        for (Candidate c : candidates) {
            String g = group(c.relative());
            Range last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last.listPrefix().equals(g)) {
                last.candidates().add(c);
                continue;
            }
            String parent = parent(g);
            if (last != null && !parent.isEmpty() && last.listPrefix().startsWith(parent)
                    && last.candidates().size() < RELIST_MIN_CANDIDATES) {
                ranges.set(ranges.size() - 1, new Range(parent, last.candidates()));
                last.candidates().add(c);
                continue;
            }
            List<Candidate> in = new ArrayList<>();
            in.add(c);
            ranges.add(new Range(g, in));
        }
        return ranges;
    }

    /** {@code remote_content/origin/ab/} to {@code remote_content/origin/}; "" for what is directly under a tree. */
    static String parent(String group) {
        int end = group.lastIndexOf('/', group.length() - 2);
        return end < 0 || group.indexOf('/') == end ? "" : group.substring(0, end + 1);
    }

    /**
     * The key without its last two path segments: {@code local_content/ab/}, {@code remote_content/origin/ab/}.
     * A listing under it reads that directory only (S3Proxy's listing costs what is under the listed prefix).
     */
    static String group(String relative) {
        int last = relative.lastIndexOf('/');
        int parent = last <= 0 ? -1 : relative.lastIndexOf('/', last - 1);
        return parent < 0 ? "" : relative.substring(0, parent + 1);
    }

    /**
     * One listing of the range from the first candidate to the last: those it does not show are absent; those it
     * shows (written since the merge passed) are HEADed like any other.
     */
    private List<Candidate> relisted(Range range) {
        List<Candidate> candidates = range.candidates();
        String first = prefix + candidates.get(0).relative();
        String last = prefix + candidates.get(candidates.size() - 1).relative();
        // Exclusive bound: a proper prefix of the first key sorts right before it.
        String startAfter = first.substring(0, first.length() - 1);
        Set<String> listed = new HashSet<>();
        String token = null;
        boolean past = false;
        do {
            AuditBucket.Page page = bucket.list(prefix + range.listPrefix(), startAfter, token, RELIST_MAX_OBJECTS);
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

    private boolean onDisk(MediaRow row) {
        return local.filesOf(row) instanceof LocalStore.MediaFiles.Found found
                && found.files().stream().anyMatch(LocalFile::original);
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
        checker.shutdownNow();
        lookers.shutdownNow();
    }
}

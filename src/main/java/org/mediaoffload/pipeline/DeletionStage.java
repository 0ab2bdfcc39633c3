package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes verified local files in batches, after asking the database again, on a thread of its own.
 *
 * <p>A batch re-reads its media rows in one query, just before deleting: a file is deleted only if its row still
 * exists and its COALESCE(last_access_ts, created_ts) is unchanged since the scan or still older than the cutoff
 * computed now (Synapse may have served it meanwhile; a purged row means the media is on its way out and the file
 * is left to Synapse). {@link LocalStore#delete} then re-checks device, inode, size, mtime and ctime right before
 * unlinking. If the database cannot be asked, nothing is deleted, and once the run is ABORTED no further batch
 * asks it.
 *
 * <p>Why a thread of its own: the re-check and the unlinks (cold directory blocks on a large store) used to run on
 * the verifier's thread, so verification waited for deletion, and a run stopped at offload.max-run-duration waited
 * for the whole backlog (31 s past a 45 s cap, docs/benchmarks.md). Now the verifier only queues, and
 * {@link #finish} never waits past the run's deadline: what is not deleted by then is kept, still VERIFIED in the
 * journal, and the next run proves and deletes it (its HEAD and proof (a) find the object). A media is either
 * deleted file by file with its journal records, or not touched: the deadline is checked between media, under the
 * same lock as their unlinks, and a re-check still waiting for the database then is ignored when it returns.
 */
final class DeletionStage {
    private static final Logger log = LoggerFactory.getLogger(DeletionStage.class);
    /** Batches' worth of verified media that may wait; beyond it the verifier waits (memory stays bounded). */
    static final int MAX_QUEUED_BATCHES = 4;
    private static final long FINISH_POLL_MS = 100;

    private final MediaCatalog catalog;
    private final LocalStore localStore;
    private final Clock clock;
    private final long minAgeMs;
    private final int batchSize;
    private final Outcomes outcomes;
    private final StopSignal stop;
    private final long maxDelayMs;
    /** offload.max-run-duration's end, if the run is capped: past it, no caller waits for room in the queue. */
    private final Optional<Instant> deadline;
    private final Deque<Verified> pending = new ArrayDeque<>();
    private long firstPendingAtMs;
    private boolean closing;
    /** Media taken for the batch in progress and not yet deleted or kept. */
    private int inBatch;
    /** Set once (deadline or abort), under {@link #unlinking} and this object's monitor: no media is touched after. */
    private volatile boolean abandoned;
    /** Held while one media's files are unlinked and recorded: {@link #abandon} waits for that media, no longer. */
    private final Object unlinking = new Object();
    private final Thread thread;

    DeletionStage(RunContext run, MediaCatalog catalog, LocalStore localStore, int batchSize, long maxDelayMs) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.localStore = requireNonNull(localStore, "localStore is null");
        this.clock = run.clock();
        this.minAgeMs = run.config().selection().minAge().toMillis();
        this.batchSize = batchSize;
        this.maxDelayMs = maxDelayMs;
        this.outcomes = run.outcomes();
        this.stop = run.stop();
        this.deadline = run.deadline();
        this.thread = new Thread(this::deleteUntilFinished, "offload-delete-" + run.runId());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a media's proven files. A batch is taken when enough media have gathered or the oldest has waited
     * {@code maxDelayMs} (against a slow store a batch fills slowly, and disk should be freed as we go). The caller
     * waits only while {@value #MAX_QUEUED_BATCHES} batches' worth are queued, and never past the run's deadline
     * (then the media is kept, so the wind-down's verifications do not wait for deletions).
     */
    void add(MediaRow scanned, List<LocalFile> proven) throws InterruptedException {
        if (proven.isEmpty()) {
            return;
        }
        synchronized (this) {
            while (pending.size() >= MAX_QUEUED_BATCHES * batchSize && !abandoned && !pastDeadline()) {
                wait(FINISH_POLL_MS);
            }
            if (abandoned || pending.size() >= MAX_QUEUED_BATCHES * batchSize) {
                return; // verified and journaled as such: the next run deletes it
            }
            if (pending.isEmpty()) {
                firstPendingAtMs = clock.millis();
            }
            pending.addLast(new Verified(scanned, List.copyOf(proven)));
            notifyAll();
        }
    }

    /**
     * Deletes what is queued, then ends the stage's thread; with a deadline, waits no longer than it: past it, the
     * media in the middle of its unlinks is finished, the rest is kept for the next run and the run ends as
     * TIME_LIMIT.
     */
    void finish() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                if (deadline.isEmpty()) {
                    thread.join();
                    continue;
                }
                long leftMs = Duration.between(clock.instant(), deadline.get()).toMillis();
                if (leftMs <= 0) {
                    int kept = abandon();
                    stop.stop(RunStatus.TIME_LIMIT);
                    if (kept > 0) {
                        log.info("Run reached offload.max-run-duration: {} verified media not deleted yet, kept for"
                                + " the next run (it proves them again and deletes them)", kept);
                    }
                    break;
                }
                thread.join(Math.min(leftMs, FINISH_POLL_MS));
            } catch (InterruptedException e) {
                interrupted = true; // the stage must still be finished or abandoned: keep waiting for it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean pastDeadline() {
        return deadline.isPresent() && !clock.instant().isBefore(deadline.get());
    }

    /** Stops deleting at once (shutdown after the grace): nothing more is unlinked once this returns. */
    void abort() {
        abandon();
    }

    /** Returns the media left undeleted. Waits only for a media whose unlinks are under way. */
    private int abandon() {
        synchronized (unlinking) {
            synchronized (this) {
                int kept = pending.size() + inBatch;
                abandoned = true;
                pending.clear();
                inBatch = 0;
                notifyAll();
                return kept;
            }
        }
    }

    private void deleteUntilFinished() {
        try {
            for (List<Verified> batch = take(); !batch.isEmpty(); batch = take()) {
                deleteBatchNow(batch);
                synchronized (this) {
                    inBatch = 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch: up to batchSize media, once that many wait, the oldest has waited enough, or at the end. */
    private synchronized List<Verified> take() throws InterruptedException {
        while (!abandoned) {
            long waitedMs = clock.millis() - firstPendingAtMs;
            if (!pending.isEmpty() && (pending.size() >= batchSize || closing || waitedMs >= maxDelayMs)) {
                List<Verified> batch = new ArrayList<>(Math.min(batchSize, pending.size()));
                while (!pending.isEmpty() && batch.size() < batchSize) {
                    batch.add(pending.pollFirst());
                }
                inBatch = batch.size();
                // What is left waited about as long as what was taken: delete it with the next batch soon.
                firstPendingAtMs = pending.isEmpty() ? clock.millis() : firstPendingAtMs;
                notifyAll();
                return batch;
            }
            if (pending.isEmpty() && closing) {
                return List.of();
            }
            wait(pending.isEmpty() ? 0 : Math.max(1, maxDelayMs - waitedMs));
        }
        return List.of();
    }

    /** The re-check and the deletion of one batch, on the stage's thread. */
    private void deleteBatchNow(List<Verified> batch) {
        if (stop.reason().orElse(null) == RunStatus.ABORTED) {
            // An aborted run (database or store outage, journal failure) asks the database nothing more: a frozen
            // database would make each batch wait its full timeout again, and keeping files is always safe.
            if (!abandoned) {
                outcomes.problem("run aborted before the database re-check; " + batch.size()
                        + " verified media kept for the next run");
                log.info("Run aborted; keeping the local files of {} verified media for the next run", batch.size());
            }
            return;
        }
        Map<MediaRef, MediaRow> current;
        try {
            List<MediaRef> refs = new ArrayList<>(batch.size());
            for (Verified v : batch) {
                refs.add(v.scanned.ref());
            }
            current = catalog.reread(refs);
        } catch (RuntimeException e) {
            if (abandoned) {
                // The run has ended without this batch (its files are kept): its failure is no longer the run's.
                log.debug("Re-check of {} media failed after the run stopped deleting", batch.size(), e);
                return;
            }
            log.error("Cannot re-check {} media in the Synapse database; keeping their local files", batch.size(), e);
            outcomes.problem("database re-check failed, " + batch.size() + " media kept: " + e.getMessage());
            stop.stop(RunStatus.ABORTED);
            return;
        }
        long cutoffNow = clock.millis() - minAgeMs;
        for (Verified v : batch) {
            synchronized (unlinking) {
                if (abandoned) {
                    return; // past the run's deadline (or aborted): this and the rest of the batch are kept
                }
                Optional<String> reason = keepReason(v.scanned, current.get(v.scanned.ref()), cutoffNow);
                if (reason.isPresent()) {
                    outcomes.keptByRecheck(v.scanned, reason.get());
                } else {
                    for (LocalFile file : v.files) {
                        delete(file);
                    }
                }
                synchronized (this) {
                    inBatch = Math.max(0, inBatch - 1);
                }
            }
        }
    }

    private static Optional<String> keepReason(MediaRow scanned, MediaRow now, long cutoffNow) {
        if (now == null) {
            return Optional.of("its database row is gone (purged or deleted since the scan)");
        }
        if (now.lastUsedTs() != scanned.lastUsedTs() && now.lastUsedTs() >= cutoffNow) {
            return Optional.of("accessed since the scan, no longer older than offload.selection.min-age");
        }
        return Optional.empty();
    }

    private void delete(LocalFile file) {
        LocalStore.DeleteOutcome outcome;
        try {
            outcome = localStore.delete(file);
        } catch (RuntimeException e) {
            outcomes.deleteFailed(file, e);
            return;
        }
        switch (outcome) {
            case DELETED -> outcomes.deleted(file);
            case CHANGED -> outcomes.changedBeforeDelete(file);
            case GONE -> log.debug("{} already gone", file.relativePath());
        }
    }

    private static final class Verified {
        final MediaRow scanned;
        final List<LocalFile> files;

        Verified(MediaRow scanned, List<LocalFile> files) {
            this.scanned = scanned;
            this.files = files;
        }
    }
}

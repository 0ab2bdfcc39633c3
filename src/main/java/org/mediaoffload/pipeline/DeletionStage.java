package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes verified local files in batches, after asking the database again.
 *
 * <p>A batch re-reads its media rows in one query, just before deleting: a file is deleted only if its row still
 * exists and its COALESCE(last_access_ts, created_ts) is unchanged since the scan or still older than the cutoff
 * computed now (Synapse may have served it meanwhile; a purged row means the media is on its way out and the file
 * is left to Synapse). {@link LocalStore#delete} then re-checks device, inode, size, mtime and ctime right before
 * unlinking. If the database cannot be asked, nothing is deleted, and once the run is ABORTED no further batch
 * asks it.
 */
final class DeletionStage {
    private static final Logger log = LoggerFactory.getLogger(DeletionStage.class);

    private final MediaCatalog catalog;
    private final LocalStore localStore;
    private final Clock clock;
    private final long minAgeMs;
    private final int batchSize;
    private final Outcomes outcomes;
    private final StopSignal stop;
    private final long maxDelayMs;
    private final List<Verified> pending = new ArrayList<>();
    private long firstPendingAtMs;
    /** Serialises batch deletions (and their directory pruning) without blocking the threads that queue. */
    private final Object deleting = new Object();

    DeletionStage(RunContext run, MediaCatalog catalog, LocalStore localStore, int batchSize, long maxDelayMs) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.localStore = requireNonNull(localStore, "localStore is null");
        this.clock = run.clock();
        this.minAgeMs = run.config().selection().minAge().toMillis();
        this.batchSize = batchSize;
        this.maxDelayMs = maxDelayMs;
        this.outcomes = run.outcomes();
        this.stop = run.stop();
    }

    /**
     * Queues a media's proven files; the caller that completes a batch deletes it. A batch is complete when enough
     * media have gathered or the oldest has waited {@code maxDelayMs} (against a slow store a batch fills slowly, and
     * disk should be freed as we go). Only taking the batch happens under this object's monitor: the deletion itself
     * (a database query and a few hundred unlinks) runs outside it, so the other transfer threads keep queueing
     * instead of all waiting for it (measured: it stalled every transfer thread for most of a run). Batches are still
     * deleted one at a time.
     */
    void add(MediaRow scanned, List<LocalFile> proven) {
        if (proven.isEmpty()) {
            return;
        }
        List<Verified> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                firstPendingAtMs = clock.millis();
            }
            pending.add(new Verified(scanned, List.copyOf(proven)));
            if (pending.size() < batchSize && clock.millis() - firstPendingAtMs < maxDelayMs) {
                return;
            }
            batch = drain();
        }
        deleteBatch(batch);
    }

    void flush() {
        List<Verified> batch;
        synchronized (this) {
            batch = drain();
        }
        deleteBatch(batch);
    }

    private List<Verified> drain() {
        List<Verified> batch = new ArrayList<>(pending);
        pending.clear();
        return batch;
    }

    private void deleteBatch(List<Verified> batch) {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (deleting) {
            deleteBatchNow(batch);
        }
    }

    /** The re-check and the deletion of one batch; callers hold {@link #deleting}. */
    private void deleteBatchNow(List<Verified> batch) {
        if (stop.reason().orElse(null) == RunStatus.ABORTED) {
            // An aborted run (database or store outage, journal failure) asks the database nothing more: a frozen
            // database would make each batch wait its full timeout again, and keeping files is always safe.
            outcomes.problem("run aborted before the database re-check; " + batch.size()
                    + " verified media kept for the next run");
            log.info("Run aborted; keeping the local files of {} verified media for the next run", batch.size());
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
            log.error("Cannot re-check {} media in the Synapse database; keeping their local files", batch.size(), e);
            outcomes.problem("database re-check failed, " + batch.size() + " media kept: " + e.getMessage());
            stop.stop(RunStatus.ABORTED);
            return;
        }
        long cutoffNow = clock.millis() - minAgeMs;
        for (Verified v : batch) {
            Optional<String> reason = keepReason(v.scanned, current.get(v.scanned.ref()), cutoffNow);
            if (reason.isPresent()) {
                outcomes.keptByRecheck(v.scanned, reason.get());
                continue;
            }
            for (LocalFile file : v.files) {
                delete(file);
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

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.mediaoffload.config.OffloadConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: find the work (disk joined with the database), move each media's files with bounded concurrency,
 * verify, and delete in batches after a database re-check. One failed file never ends the run; an outage does.
 */
final class OffloadRun {
    private static final Logger log = LoggerFactory.getLogger(OffloadRun.class);
    private static final int OUTAGE_THRESHOLD = 8;
    private static final int DELETE_BATCH = 200;
    private static final long DELETE_MAX_DELAY_MS = 2_000;

    private final OffloadConfig config;
    private final MediaCatalog catalog;
    private final ObjectStore store;
    private final OffloadJournal journal;
    private final LocalStore localStore;
    private final Clock clock;

    OffloadRun(OffloadConfig config, MediaCatalog catalog, ObjectStore store, OffloadJournal journal,
            LocalStore localStore, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.localStore = requireNonNull(localStore, "localStore is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A run that did not start (see {@link RunGate}): its figures are all zero, its reason is in its problems. */
    RunSummary refused(ActiveRun run) {
        return summary(run);
    }

    RunSummary execute(ActiveRun run, RunListener listener, RunGate.Verdict verdict) {
        RunCounters counters = run.counters;
        StopSignal stop = run.stop;
        JournalBuffer journalBuffer = new JournalBuffer(journal, run.runId, stop, counters);
        Deadline deadline = new Deadline(clock, config.maxRunDuration(), stop);
        try {
            run.phase(RunPhase.SCANNING, listener);
            // Checked per run, not only at start: a daemon outlives mounts (a disk not mounted must not be "0 media").
            Optional<String> notAStore = localStore.notAMediaStore(catalog::listsAnyMedia);
            if (notAStore.isPresent()) {
                log.error("Run {} not started: {}", run.runId, notAStore.get());
                counters.error(notAStore.get());
                stop.stop(RunStatus.ABORTED);
                return summary(run);
            }
            long cutoff = clock.millis() - config.selection().minAge().toMillis();
            try (WorkStream work = new WorkFinder(localStore, catalog).stream(cutoff,
                    config.selection().includeRemote(), config.selection().includeQuarantined(), tally(counters),
                    stop, deadline::passed)) {
                transfer(run, work, listener, journalBuffer, deadline, verdict);
            }
        } catch (StopSignal.StoppedException e) {
            log.info("Run {} stopped during the scan", run.runId);
        } catch (TargetUnusableException e) {
            log.error("Run {} stopped before any upload: {}", run.runId, e.getMessage());
            counters.error(e.getMessage());
            stop.stop(RunStatus.MISCONFIGURED);
        } catch (CatalogException e) {
            log.error("Run {} stopped: the Synapse database could not be read", run.runId, e);
            counters.error("database: " + e.getMessage());
            stop.stop(RunStatus.ABORTED);
        } catch (RuntimeException e) {
            log.error("Run {} stopped by an unexpected error", run.runId, e);
            counters.error("unexpected: " + e);
            stop.stop(RunStatus.ABORTED);
        } finally {
            run.phase(RunPhase.FINISHING, listener);
            journalBuffer.flush();
        }
        return summary(run);
    }

    private void transfer(ActiveRun run, WorkStream work, RunListener listener, JournalBuffer journalBuffer,
            Deadline deadline, RunGate.Verdict verdict) {
        RunCounters counters = run.counters;
        StopSignal stop = run.stop;
        OutageDetector outage = new OutageDetector(OUTAGE_THRESHOLD, stop);
        String target = TargetFingerprint.of(config.s3());
        RemoteFiles remote = new RemoteFiles(store, journal, outage, verdict.mayRewriteUnreadable(), target,
                StoreCapabilities.read(journal, target), new RefusalStreak(config.s3().storageClass(),
                        config.s3().sseCustomerKey().isPresent(), stop, counters));
        MediaOffloader offloader = new MediaOffloader(localStore, remote, config.s3(),
                config.selection().quietPeriod().toMillis(), run.dryRun, clock, journalBuffer, counters, listener,
                stop);
        boolean deleting = config.deleteLocal() && !run.dryRun && verdict.mayDelete();
        DeletionStage deletion = new DeletionStage(catalog, localStore, config.s3(), clock,
                config.selection().minAge().toMillis(), DELETE_BATCH, DELETE_MAX_DELAY_MS, journalBuffer, counters,
                listener, stop);

        int concurrency = config.s3().concurrency();
        ExecutorService executor = Executors.newFixedThreadPool(concurrency, new NamedThreadFactory("offload-transfer"));
        run.transfers(executor);
        // Bounds the media queued for the transfer threads, and with them the file buffers held in memory; leaves
        // room for the next batch to be swept while the current one transfers.
        Semaphore inFlight = new Semaphore(concurrency * 2);
        Optional<DeletionStage> deletes = deleting ? Optional.of(deletion) : Optional.empty();
        // The stream is in key order, so neighbouring keys share a batch and one listing page answers for it.
        int batchSize = Math.max(1, concurrency);
        boolean bucketChecked = false;
        try {
            while (!stop.stopped() && !deadline.passed() && stateDirIntact(counters, stop)) {
                List<MediaRow> rows = take(work, batchSize, counters, stop);
                publishTotals(work, counters, listener);
                if (!bucketChecked) {
                    // Scanning until the first work is found (or none is): from here on, files move.
                    run.phase(RunPhase.TRANSFERRING, listener);
                }
                if (rows.isEmpty()) {
                    break;
                }
                if (!bucketChecked) {
                    // Before any upload, not before discovery: a steady-state run with nothing to do sends nothing.
                    store.checkBucket();
                    bucketChecked = true;
                }
                MediaBatch batch = MediaBatch.prepare(rows, offloader, remote, deletes, counters);
                dispatch(batch, executor, inFlight, stop, deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.stop(RunStatus.CANCELLED);
        } finally {
            executor.shutdown();
            awaitQuietly(executor);
        }
        stateDirIntact(counters, stop); // a state directory lost meanwhile aborts the run before its last deletions
        if (deleting) {
            // Verified files are deleted even after a cancel or time limit (they are verified, and the DB is asked
            // again first); after an abort the stage keeps them without asking.
            deletion.flush();
        }
    }

    /**
     * The lock or journal deleted or replaced under us: another process may use the state directory now, so no
     * further media is started (verified ones are still kept or deleted by the rules of an aborted run).
     */
    private boolean stateDirIntact(RunCounters counters, StopSignal stop) {
        try {
            journal.checkIntact();
            return true;
        } catch (StateDirChangedException e) {
            log.error("{}", e.getMessage());
            counters.error("state directory: " + e.getMessage());
            stop.stop(RunStatus.ABORTED);
            return false;
        }
    }

    /** Hands each media of the batch to a transfer thread; a media that is never started still counts as finished. */
    private static void dispatch(MediaBatch batch, ExecutorService executor, Semaphore inFlight, StopSignal stop,
            Deadline deadline) throws InterruptedException {
        List<MediaBatch.Item> items = batch.items();
        int started = 0;
        try {
            for (MediaBatch.Item item : items) {
                if (stop.stopped() || deadline.passed()) {
                    break;
                }
                inFlight.acquire();
                if (stop.stopped() || executor.isShutdown()) {
                    // Stopped while waiting for a slot (cancel, or in-flight transfers aborted at shutdown).
                    inFlight.release();
                    break;
                }
                executor.execute(() -> {
                    try {
                        batch.transfer(item);
                    } finally {
                        inFlight.release();
                        batch.finished();
                    }
                });
                started++;
            }
        } finally {
            for (int i = started; i < items.size(); i++) {
                batch.finished();
            }
        }
    }

    /** The skip rules' figures: mediaScanned, mediaSkipped and the reason in the run's errors. */
    private static WorkFinder.Tally tally(RunCounters counters) {
        return new WorkFinder.Tally() {
            @Override
            public void scanned(MediaRow row) {
                counters.mediaScanned.incrementAndGet();
            }

            @Override
            public void skipped(MediaRow row, String reason) {
                counters.mediaSkipped.incrementAndGet();
                counters.error(reason);
            }
        };
    }

    /**
     * Up to {@code n} media from the stream, waiting for discovery; empty at its end, or when it was stopped or
     * failed (a database or media store that cannot be read ends the run as ABORTED, as a failed scan always did).
     */
    private static List<MediaRow> take(WorkStream work, int n, RunCounters counters, StopSignal stop) {
        List<MediaRow> rows = new ArrayList<>(n);
        try {
            while (rows.size() < n) {
                Optional<MediaRow> row = work.next();
                if (row.isEmpty()) {
                    break;
                }
                rows.add(row.get());
            }
            return rows;
        } catch (StopSignal.StoppedException e) {
            if (Thread.currentThread().isInterrupted()) {
                stop.stop(RunStatus.CANCELLED);
            }
        } catch (CatalogException e) {
            log.error("Run stopped: the Synapse database could not be read", e);
            counters.error("database: " + e.getMessage());
            stop.stop(RunStatus.ABORTED);
        } catch (RuntimeException e) {
            log.error("Run stopped: discovery failed", e);
            counters.error("discovery: " + e.getMessage());
            stop.stop(RunStatus.ABORTED);
        }
        return List.of();
    }

    /**
     * Totals for progress and ETA as discovery refines them (exact once it has seen everything; see
     * {@link WorkStream#estimate}).
     */
    private static void publishTotals(WorkStream work, RunCounters counters, RunListener listener) {
        WorkStream.WorkEstimate e = work.estimate();
        if (e.media() == counters.mediaTotal.get() && e.files() == counters.filesTotal.get()
                && e.bytes() == counters.bytesTotal.get() && e.exact() == counters.totalsExact.get()) {
            return;
        }
        counters.mediaTotal.set(e.media());
        counters.filesTotal.set(e.files());
        counters.bytesTotal.set(e.bytes());
        counters.totalsExact.set(e.exact());
        listener.workPlanned(e.media(), e.files(), e.bytes());
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                log.info("Waiting for in-flight transfers to finish");
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private RunSummary summary(ActiveRun run) {
        RunCounters c = run.counters;
        RunStatus status = run.stop.reason()
                .orElse(c.filesFailed.get() > 0 ? RunStatus.FAILED_FILES : RunStatus.SUCCEEDED);
        long filesTotal = Math.max(0, c.filesTotal.get());
        long bytesTotal = Math.max(0, c.bytesTotal.get());
        long filesDeleted = c.filesDeleted.get();
        long bytesFreed = c.bytesFreed.get();
        if (run.dryRun && config.deleteLocal()) {
            // A dry run reports what it would delete and free: every file it would upload or found in the bucket
            // (a real run re-checks each against the database and the disk first, so this is an upper bound).
            filesDeleted = c.filesUploaded.get() + c.filesAlreadyInStore.get();
            bytesFreed = c.bytesUploaded.get() + c.bytesAlreadyInStore.get();
        }
        // The backlog is what is still local: a dry run deleted nothing.
        long deletedForReal = run.dryRun ? 0 : filesDeleted;
        long freedForReal = run.dryRun ? 0 : bytesFreed;
        return new RunSummary(run.runId, run.trigger, run.dryRun, status, run.startedAt, clock.instant(),
                c.mediaScanned.get(), c.mediaSkipped.get(), c.filesUploaded.get(), c.bytesUploaded.get(),
                c.filesAlreadyInStore.get(), filesDeleted, bytesFreed, c.filesFailed.get(),
                c.filesSkipped.get(), Math.max(0, filesTotal - deletedForReal),
                Math.max(0, bytesTotal - freedForReal), c.errors());
    }

    /** offload.max-run-duration: past it, no new media is started and the run ends as TIME_LIMIT. */
    private static final class Deadline {
        private final Clock clock;
        private final Optional<Instant> at;
        private final StopSignal stop;

        Deadline(Clock clock, Duration max, StopSignal stop) {
            this.clock = clock;
            this.at = max.isZero() ? Optional.empty() : Optional.of(clock.instant().plus(max));
            this.stop = stop;
        }

        boolean passed() {
            if (at.isPresent() && clock.instant().isAfter(at.get())) {
                stop.stop(RunStatus.TIME_LIMIT);
                return true;
            }
            return false;
        }
    }
}

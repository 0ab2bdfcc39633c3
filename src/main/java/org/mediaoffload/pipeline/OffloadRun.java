package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.mediaoffload.config.OffloadConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run, where a file's way from the walk to its deletion starts: find the work (disk joined with the database),
 * feed it in key order to the transfer threads ({@link MediaOffloader} decides and uploads), verify off their path
 * ({@link Verifier}), and delete in batches after a database re-check ({@link DeletionStage}). Every outcome is
 * recorded through {@link Outcomes}. One failed file never ends the run; an outage does.
 */
final class OffloadRun {
    private static final Logger log = LoggerFactory.getLogger(OffloadRun.class);
    private static final int OUTAGE_THRESHOLD = 8;
    private static final int DELETE_BATCH = 200;
    private static final long DELETE_MAX_DELAY_MS = 2_000;
    /**
     * How long past offload.max-run-duration uploads and a verification listing already on the wire are waited for
     * (short: nothing they do past the cap is verified or deleted in this run), and then how long aborted uploads
     * are given to return.
     */
    static final Duration WIND_DOWN = Duration.ofSeconds(2);

    private final OffloadConfig config;
    private final MediaCatalog catalog;
    private final ObjectStore store;
    private final BucketAnswers.Factory answers;
    private final OffloadJournal journal;
    private final LocalStore localStore;
    private final Clock clock;

    OffloadRun(OffloadConfig config, MediaCatalog catalog, ObjectStore store, BucketAnswers.Factory answers,
            OffloadJournal journal, LocalStore localStore, Clock clock) {
        this.answers = requireNonNull(answers, "answers is null");
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.localStore = requireNonNull(localStore, "localStore is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Starts the run's discovery before its target check ({@link EarlyDiscovery}); the caller passes it to
     * {@link #execute} or {@link #refused}.
     */
    EarlyDiscovery discoverEarly(ActiveRun active) {
        long cutoff = clock.millis() - config.selection().minAge().toMillis();
        return new EarlyDiscovery(new WorkFinder(localStore, catalog), active, cutoff,
                config.selection().includeRemote(), config.selection().includeQuarantined());
    }

    /** A run that did not start (see {@link RunGate}): its figures are all zero, its reason is in its problems. */
    RunSummary refused(ActiveRun run, EarlyDiscovery discovery) {
        discovery.discard();
        return summary(run);
    }

    RunSummary execute(ActiveRun active, RunListener listener, RunGate.Verdict verdict, EarlyDiscovery discovery) {
        RunContext run = new RunContext(active, config, journal, listener, clock);
        StopSignal stop = run.stop();
        try {
            active.phase(RunPhase.SCANNING, listener);
            // Checked per run, not only at start: a daemon outlives mounts (a disk not mounted must not be "0 media").
            Optional<String> notAStore = localStore.notAMediaStore(catalog::listsAnyMedia);
            if (notAStore.isPresent()) {
                log.error("Run {} not started: {}", run.runId(), notAStore.get());
                run.outcomes().problem(notAStore.get());
                stop.stop(RunStatus.ABORTED);
                return summary(active);
            }
            transfer(run, active, listener, verdict, discovery.admit(run));
        } catch (StopSignal.StoppedException e) {
            log.info("Run {} stopped during the scan", run.runId());
        } catch (TargetUnusableException e) {
            log.error("Run {} stopped before any upload: {}", run.runId(), e.getMessage());
            run.outcomes().problem(e.getMessage());
            stop.stop(RunStatus.MISCONFIGURED);
        } catch (CatalogException e) {
            log.error("Run {} stopped: the Synapse database could not be read", run.runId(), e);
            run.outcomes().problem("database: " + e.getMessage());
            stop.stop(RunStatus.ABORTED);
        } catch (RuntimeException e) {
            log.error("Run {} stopped by an unexpected error", run.runId(), e);
            run.outcomes().problem("unexpected: " + e);
            stop.stop(RunStatus.ABORTED);
        } finally {
            discovery.discard(); // when not admitted (not a media store, or failed before): its counts are dropped
            active.phase(RunPhase.FINISHING, listener);
            run.journal().flush();
        }
        return summary(active);
    }

    private void transfer(RunContext run, ActiveRun active, RunListener listener, RunGate.Verdict verdict,
            WorkStream work) {
        StopSignal stop = run.stop();
        OutageDetector outage = new OutageDetector(OUTAGE_THRESHOLD, stop);
        String target = TargetFingerprint.of(config.s3());
        RemoteFiles remote = new RemoteFiles(store, answers, journal, outage, verdict.mayRewriteUnreadable(), target,
                StoreCapabilities.read(journal, target), new RefusalStreak(config.s3().storageClass(),
                        config.s3().sseCustomerKey().isPresent(), stop, run.counters()));
        MediaOffloader offloader = new MediaOffloader(run, localStore, remote);
        boolean deleting = config.deleteLocal() && !run.dryRun() && verdict.mayDelete();
        Optional<DeletionStage> deletion = deleting
                ? Optional.of(new DeletionStage(run, catalog, localStore, DELETE_BATCH, DELETE_MAX_DELAY_MS))
                : Optional.empty();
        // The run's work: discovery (started before the target check) streams it in key order while the run moves it.

        int concurrency = config.s3().concurrency();
        ExecutorService executor = Executors.newFixedThreadPool(concurrency, new NamedThreadFactory("offload-transfer"));
        active.transfers(executor);
        // Bounds the media queued for the transfer threads, and with them the file buffers held in memory; leaves
        // room for the next window to be listed while the current one transfers.
        Semaphore inFlight = new Semaphore(concurrency * 2);
        Verifier verifier = new Verifier(offloader, remote, deletion, run, WIND_DOWN);
        active.verification(() -> {
            verifier.abort();
            deletion.ifPresent(DeletionStage::abort);
        });
        try {
            feed(work, Math.max(1, concurrency), offloader, remote, verifier, executor, inFlight, run,
                    () -> active.phase(RunPhase.TRANSFERRING, listener), verdict.bucketChecked());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.stop(RunStatus.CANCELLED);
        } finally {
            // A stopped run's discovery went on after its last window: the summary's backlog comes from these totals.
            run.outcomes().planned(work.estimate());
            work.close();
            executor.shutdown();
            awaitTransfers(executor, run);
            verifier.close(); // verifies every media whose uploads returned, even after a stop (not past the cap)
            stateDirIntact(run); // a state directory lost meanwhile aborts the run before its last deletions
            // Verified files are deleted even after a cancel (they are verified, and the DB is asked again first),
            // but never past offload.max-run-duration: what is left then is kept for the next run. After an abort
            // the stage keeps them without asking.
            deletion.ifPresent(DeletionStage::finish);
            if (run.stop().reason().orElse(null) == RunStatus.TIME_LIMIT) {
                run.outcomes().reportCap();
            }
        }
    }

    /**
     * Waits for the transfer threads; for a capped run, no longer than the cap plus {@link #WIND_DOWN}: then the
     * uploads still on the wire are aborted (their files are kept for the next run), and the run waits another
     * {@link #WIND_DOWN} at most for them to return. A thread still inside a request the store cannot abort (a
     * multipart part, a HEAD) is left to end within that request's timeout: nothing it does afterwards is verified
     * in this run (the verifier sends nothing past the cap), so it cannot lead to a deletion.
     */
    private void awaitTransfers(ExecutorService executor, RunContext run) {
        Optional<Instant> deadline = run.deadline();
        if (deadline.isEmpty()) {
            awaitQuietly(executor);
            return;
        }
        try {
            Instant giveUpAt = deadline.get().plus(WIND_DOWN);
            while (!executor.isTerminated()) {
                long leftMs = Duration.between(clock.instant(), giveUpAt).toMillis();
                if (leftMs <= 0) {
                    break;
                }
                executor.awaitTermination(Math.min(leftMs, 1_000), TimeUnit.MILLISECONDS);
            }
            if (executor.isTerminated()) {
                return;
            }
            log.info("Run {} reached offload.max-run-duration: aborting the uploads still in flight (kept for the"
                    + " next run)", run.runId());
            run.uploadsAbortedAtCap();
            executor.shutdownNow(); // interrupts first: an aborted attempt is then never retried
            store.abortUploadsInFlight();
            if (!executor.awaitTermination(WIND_DOWN.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Run {}: transfers still inside requests the store could not abort; not waiting for them"
                        + " (they end within offload.s3.request-timeout, and nothing they do is verified or deleted"
                        + " in this run)", run.runId());
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The run's pipeline, fed from its work in key order: a window of neighbouring media is listed (their files, and
     * one listing for their keys), then each media goes to a transfer thread, which decides, uploads and hands it to
     * the {@link Verifier}. No window waits for an earlier one's uploads or verification.
     */
    private void feed(WorkStream work, int window, MediaOffloader offloader, RemoteFiles remote, Verifier verifier,
            ExecutorService executor, Semaphore inFlight, RunContext run, Runnable transferring,
            boolean checkedByGate) throws InterruptedException {
        List<MediaOffloader.Media> next = new ArrayList<>(window);
        // A first run's target check has just sent the same preflight (and listed the prefix): one request less.
        boolean bucketChecked = checkedByGate;
        Optional<Future<?>> bucketCheck = Optional.empty();
        boolean first = true;
        while (run.mayStartMore() && stateDirIntact(run)) {
            next.clear();
            List<String> keys = new ArrayList<>();
            while (next.size() < window && run.mayStartMore()) {
                Optional<MediaRow> row = next(work, run);
                if (row.isEmpty()) {
                    break;
                }
                if (!bucketChecked && bucketCheck.isEmpty()) {
                    // Work exists (a steady-state run with nothing to do sends nothing): the preflight goes out now,
                    // on an idle transfer thread, while this window's files are listed; no upload starts before
                    // its answer.
                    bucketCheck = Optional.of(executor.submit(store::checkBucket));
                }
                try {
                    offloader.prepare(row.get()).ifPresent(media -> {
                        next.add(media);
                        keys.addAll(media.listableKeys(run.s3()));
                    });
                } catch (RuntimeException e) {
                    // One unreadable media directory must not end the run: its files are kept and reported.
                    run.outcomes().unexpected(row.get(), "listing the files of", e);
                }
            }
            // After the window is taken: a window that is not full means discovery has finished and its totals are
            // exact, so a small run's first totals are its real ones.
            run.outcomes().planned(work.estimate());
            if (first) {
                // Scanning until the first work is found (or none is): from here on, files move.
                transferring.run();
                first = false;
            }
            if (next.isEmpty()) {
                return;
            }
            if (!bucketChecked) {
                awaitBucketCheck(bucketCheck.orElseThrow());
                bucketChecked = true;
            }
            remote.expect(keys);
            for (MediaOffloader.Media media : next) {
                if (!run.mayStartMore()) {
                    return;
                }
                if (!acquire(inFlight, run)) {
                    return; // offload.max-run-duration reached while every slot was busy
                }
                if (run.stop().stopped() || executor.isShutdown()) {
                    // Stopped while waiting for a slot (cancel, or in-flight transfers aborted at shutdown).
                    inFlight.release();
                    return;
                }
                executor.execute(() -> transferOne(media, offloader, verifier, inFlight, run));
            }
        }
    }

    /** The preflight's answer; its failure ({@link TargetUnusableException}, an outage) is the run's, as if sent here. */
    private static void awaitBucketCheck(Future<?> check) throws InterruptedException {
        try {
            check.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("bucket preflight failed", e.getCause());
        }
    }

    /**
     * A slot for one more media; for a capped run, waits no longer than the cap (false then), so the run notices its
     * cap when it comes, not when a slow upload returns.
     */
    private boolean acquire(Semaphore inFlight, RunContext run) throws InterruptedException {
        Optional<Instant> deadline = run.deadline();
        if (deadline.isEmpty()) {
            inFlight.acquire();
            return true;
        }
        long leftMs = Duration.between(clock.instant(), deadline.get()).toMillis();
        if (leftMs > 0 && inFlight.tryAcquire(leftMs, TimeUnit.MILLISECONDS)) {
            return true;
        }
        // The cap came while waiting: the run stops as TIME_LIMIT now. Not by reading the clock again: the wait's
        // timer (nanoTime, whole milliseconds) can end a millisecond before the clock passes the deadline, and a feed
        // that stopped without a stop reason would end the run as SUCCEEDED with its work left undone.
        run.capReached();
        return false;
    }

    /**
     * The next media of the work; empty at its end, or when discovery was stopped or failed (a database or media
     * store that cannot be read ends the run as ABORTED; what is in flight is still verified and deleted by the
     * rules of an aborted run).
     */
    private static Optional<MediaRow> next(WorkStream work, RunContext run) {
        try {
            return work.next();
        } catch (StopSignal.StoppedException e) {
            if (Thread.currentThread().isInterrupted()) {
                run.stop().stop(RunStatus.CANCELLED);
            }
        } catch (CatalogException e) {
            log.error("Run {} stopped: the Synapse database could not be read", run.runId(), e);
            run.outcomes().problem("database: " + e.getMessage());
            run.stop().stop(RunStatus.ABORTED);
        } catch (RuntimeException e) {
            log.error("Run {} stopped: discovery failed", run.runId(), e);
            run.outcomes().problem("discovery: " + e.getMessage());
            run.stop().stop(RunStatus.ABORTED);
        }
        return Optional.empty();
    }

    /** One media on a transfer thread; an unexpected error is that media's failure, not the run's. */
    private static void transferOne(MediaOffloader.Media media, MediaOffloader offloader, Verifier verifier,
            Semaphore inFlight, RunContext run) {
        try {
            verifier.submit(offloader.transfer(media));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.outcomes().unexpected(media.row(), "handing over", new IllegalStateException("interrupted", e));
        } catch (RuntimeException e) {
            run.outcomes().unexpected(media.row(), "on", e);
        } finally {
            inFlight.release();
        }
    }

    /**
     * The lock or journal deleted or replaced under us: another process may use the state directory now, so no
     * further media is started (verified ones are still kept or deleted by the rules of an aborted run).
     */
    private boolean stateDirIntact(RunContext run) {
        try {
            journal.checkIntact();
            return true;
        } catch (StateDirChangedException e) {
            log.error("{}", e.getMessage());
            run.outcomes().problem("state directory: " + e.getMessage());
            run.stop().stop(RunStatus.ABORTED);
            return false;
        }
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
}

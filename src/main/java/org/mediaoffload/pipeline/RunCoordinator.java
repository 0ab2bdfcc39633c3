package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.mediaoffload.config.OffloadConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The engine's front door: at most one run at a time, whoever asks (schedule, admin API, CLI), with live progress,
 * cancellation and history.
 */
public final class RunCoordinator implements RunControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunCoordinator.class);

    private final OffloadConfig config;
    private final OffloadRun run;
    private final OffloadJournal journal;
    private final MediaCatalog catalog;
    private final ObjectStore store;
    private final RunGate gate;
    private final RunListener listener;
    private final Clock clock;
    private final ExecutorService background;
    private ActiveRun active;
    private boolean closing;

    /** @param answers the bucket's answers for each run (listings and HEADs over {@code store}) */
    public RunCoordinator(OffloadConfig config, MediaCatalog catalog, ObjectStore store, BucketAnswers.Factory answers,
            OffloadJournal journal, LocalStore localStore, RunGate gate, RunListener listener, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.run = new OffloadRun(config, catalog, store, answers, journal, localStore, clock);
        this.background = Executors.newSingleThreadExecutor(new NamedThreadFactory("offload-run"));
    }

    @Override
    public long startRun(String trigger, boolean dryRun) {
        ActiveRun reserved = reserve(trigger, dryRun);
        background.execute(() -> execute(reserved));
        return reserved.runId;
    }

    @Override
    public RunSummary runNow(String trigger, boolean dryRun) {
        return execute(reserve(trigger, dryRun));
    }

    @Override
    public synchronized Optional<LiveProgress> current() {
        return Optional.ofNullable(active).map(ActiveRun::progress);
    }

    @Override
    public synchronized boolean cancelCurrent() {
        if (active == null) {
            return false;
        }
        log.info("Cancelling run {}", active.runId);
        active.stop.stop(RunStatus.CANCELLED);
        return true;
    }

    @Override
    public List<RunSummary> history(int limit) {
        return journal.recentRuns(limit);
    }

    /**
     * Runs {@code action} while no run is going and none can start (e.g. accepting a new target, which must not
     * change under a run).
     *
     * @throws RunInProgressException when a run is going
     */
    public synchronized <T> T whileIdle(java.util.function.Supplier<T> action) {
        if (active != null) {
            throw new RunInProgressException(active.runId);
        }
        return action.get();
    }

    @Override
    public void checkReady() {
        journal.checkIntact();
        catalog.ping();
        // Any answer (even 404 or 403) proves the endpoint, credentials and bucket are reachable.
        store.head(config.s3().keyFor(".synapse-media-offload-readyz"));
    }

    /**
     * Stops the current run for shutdown: no new work at once, in-flight transfers get {@code grace} to finish,
     * then are interrupted (multipart uploads abort). Nothing unverified is ever deleted.
     */
    public void shutdown(Duration grace) {
        ActiveRun running;
        synchronized (this) {
            closing = true;
            running = active;
        }
        if (running != null) {
            running.stop.stop(RunStatus.CANCELLED);
            if (!awaitIdle(grace)) {
                log.warn("Run {} did not finish within the shutdown grace of {}; aborting in-flight transfers",
                        running.runId, grace);
                running.abortInFlight();
                awaitIdle(Duration.ofSeconds(10));
            }
        }
        background.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(config.shutdownGrace());
    }

    /** Waits until no run is active; false when {@code timeout} passed first or the thread was interrupted. */
    public synchronized boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (active != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    private synchronized ActiveRun reserve(String trigger, boolean dryRun) {
        if (closing) {
            throw new IllegalStateException("shutting down; no new runs");
        }
        if (active != null) {
            throw new RunInProgressException(active.runId);
        }
        journal.checkIntact(); // also inside runStarted; here it names the cause before anything is written
        long runId = journal.runStarted(clock.instant(), trigger, dryRun);
        active = new ActiveRun(runId, trigger, dryRun, clock.instant());
        return active;
    }

    private synchronized void release() {
        active = null;
        notifyAll();
    }

    private RunSummary execute(ActiveRun reserved) {
        MDC.put("run", Long.toString(reserved.runId));
        try {
            log.info("Run {} started ({}{})", reserved.runId, reserved.trigger, reserved.dryRun ? ", dry run" : "");
            listener.runStarted(reserved.runId, reserved.trigger, reserved.dryRun);
            RunSummary summary = startOrRefuse(reserved);
            try {
                journal.runFinished(summary);
            } catch (RuntimeException e) {
                log.error("Could not record the end of run {} in the state directory", reserved.runId, e);
            }
            reserved.phase(RunPhase.DONE, listener);
            log.info("{}: {}; {} already in the bucket, {} {} local files, {} failed, {} skipped",
                    RunReport.headline(summary), RunReport.figures(summary), summary.filesAlreadyInStore(),
                    summary.dryRun() ? "would delete" : "deleted", summary.filesDeleted(), summary.filesFailed(),
                    summary.filesSkipped());
            listener.runFinished(summary);
            return summary;
        } finally {
            release();
            MDC.remove("run");
        }
    }

    private RunSummary startOrRefuse(ActiveRun reserved) {
        // Discovery reads disk and database while the gate asks the bucket: the first PUT waits for the later of the
        // two, not their sum. A refused run discards it, with its figures.
        EarlyDiscovery discovery = run.discoverEarly(reserved);
        boolean handedOver = false;
        try {
            RunSummary summary = checkTargetAndRun(reserved, discovery);
            handedOver = true;
            return summary;
        } finally {
            if (!handedOver) {
                discovery.discard(); // an unexpected error on the way
            }
        }
    }

    private RunSummary checkTargetAndRun(ActiveRun reserved, EarlyDiscovery discovery) {
        RunGate.Verdict verdict;
        try {
            verdict = gate.beforeRun(reserved.dryRun);
        } catch (ObjectStoreException e) {
            log.error("Run {} stopped: the bucket did not answer while its target was checked", reserved.runId, e);
            reserved.counters.error("object store: " + e.getMessage());
            reserved.stop.stop(RunStatus.ABORTED);
            return run.refused(reserved, discovery);
        } catch (TargetUnusableException e) {
            log.error("Run {} stopped before any upload: {}", reserved.runId, e.getMessage());
            reserved.counters.error(e.getMessage());
            reserved.stop.stop(RunStatus.MISCONFIGURED);
            return run.refused(reserved, discovery);
        } catch (RuntimeException e) {
            log.error("Run {} could not check its target", reserved.runId, e);
            verdict = RunGate.Verdict.refuse("the target could not be checked: " + e.getMessage());
        }
        if (verdict.refusal().isPresent()) {
            log.error("Run {} refused: {}", reserved.runId, verdict.refusal().get());
            reserved.counters.error(verdict.refusal().get());
            reserved.stop.stop(RunStatus.REFUSED);
            return run.refused(reserved, discovery);
        }
        verdict.notes().forEach(note -> {
            log.warn("{}", note);
            reserved.counters.error(note);
        });
        RunListener observed = reserved.dryRun ? listener : new FirstVerified(listener, verdict.firstVerified());
        return run.execute(reserved, observed, verdict, discovery);
    }
}

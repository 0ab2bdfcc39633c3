package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The coordinator's runs behind the daemon's {@link WorkGate}: a scheduled run due during an audit waits for it;
 * a run asked for through the admin API during an audit is refused (409) rather than queued behind it.
 */
public final class ExclusiveRuns implements RunControl, AutoCloseable {
    private final RunCoordinator runs;
    private final WorkGate gate;
    /** Gives the slot back when a background (API) run has ended. */
    private final ExecutorService releaser = Executors.newSingleThreadExecutor(new NamedThreadFactory("offload-run-gate"));

    public ExclusiveRuns(RunCoordinator runs, WorkGate gate) {
        this.runs = requireNonNull(runs, "runs is null");
        this.gate = requireNonNull(gate, "gate is null");
    }

    @Override
    public long startRun(String trigger, boolean dryRun) {
        if (!gate.tryAcquire("run")) {
            throw new RunInProgressException(gate.busyMessage());
        }
        long id;
        try {
            id = runs.startRun(trigger, dryRun);
        } catch (RuntimeException e) {
            gate.release();
            throw e;
        }
        releaser.execute(() -> {
            try {
                // The run was reserved before startRun returned, so "idle" means this run has ended.
                while (!runs.awaitIdle(Duration.ofMinutes(1))) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
            } finally {
                gate.release();
            }
        });
        return id;
    }

    @Override
    public RunSummary runNow(String trigger, boolean dryRun) {
        try {
            gate.acquire("run");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the " + gate.holder() + " to finish", e);
        }
        try {
            return runs.runNow(trigger, dryRun);
        } finally {
            gate.release();
        }
    }

    @Override
    public Optional<LiveProgress> current() {
        return runs.current();
    }

    @Override
    public boolean cancelCurrent() {
        return runs.cancelCurrent();
    }

    @Override
    public List<RunSummary> history(int limit) {
        return runs.history(limit);
    }

    @Override
    public void checkReady() {
        runs.checkReady();
    }

    @Override
    public void close() {
        releaser.shutdownNow();
    }
}

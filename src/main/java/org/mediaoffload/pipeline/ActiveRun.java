package org.mediaoffload.pipeline;

import java.time.Instant;
import java.util.concurrent.ExecutorService;

/** The state of the run in progress, shared between the run's threads and whoever watches or cancels it. */
final class ActiveRun {
    final long runId;
    final String trigger;
    final boolean dryRun;
    final Instant startedAt;
    final RunCounters counters = new RunCounters();
    final StopSignal stop = new StopSignal();
    private volatile RunPhase phase = RunPhase.STARTING;
    private volatile ExecutorService transfers;
    private volatile Runnable abortVerification = () -> {};

    ActiveRun(long runId, String trigger, boolean dryRun, Instant startedAt) {
        this.runId = runId;
        this.trigger = trigger;
        this.dryRun = dryRun;
        this.startedAt = startedAt;
    }

    void phase(RunPhase phase, RunListener listener) {
        this.phase = phase;
        listener.phaseChanged(phase);
    }

    void transfers(ExecutorService transfers) {
        this.transfers = transfers;
    }

    void verification(Runnable abort) {
        this.abortVerification = abort;
    }

    /** Interrupts in-flight transfers (after the shutdown grace); multipart uploads abort, nothing is deleted. */
    void abortInFlight() {
        ExecutorService executor = transfers;
        if (executor != null) {
            executor.shutdownNow();
        }
        abortVerification.run();
    }

    LiveProgress progress() {
        return counters.progress(runId, trigger, dryRun, phase, startedAt);
    }
}

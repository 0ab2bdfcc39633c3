package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Discovery started while the run's target is still being checked ({@link RunGate}: on a first run, the bucket
 * preflight and a sample of its objects, several round trips to the store), so that those round trips overlap
 * discovery's first chunk (the walk of the first directories and their database lookup) instead of delaying the first
 * PUT. Discovery only reads: nothing is uploaded or deleted before the run is admitted.
 *
 * <p>Until {@link #admit}, what discovery counts (media scanned, media skipped and why) is held here, not in the
 * run's counters: a refused run is {@link #discard}ed and reports every figure as zero, as if discovery had never
 * started. Held reasons are capped as the run's own error list is (the counts are not). Discovery goes no further
 * than its first chunk before the run is admitted ({@link #awaitAdmission}).
 */
final class EarlyDiscovery implements WorkFinder.Tally {
    private static final int MAX_HELD_REASONS = 50;
    /** How often a held discovery looks at the stop signal (a cancel during the check). */
    private static final long HOLD_POLL_MS = 100;

    private final RunCounters counters;
    private final StopSignal stop;
    private final WorkStream work;
    private long heldScanned;
    private long heldSkipped;
    private final List<String> heldReasons = new ArrayList<>();
    private boolean admitted;
    private boolean discarded;
    /** The admitted run, asked whether its time is up while it waits for discovery. */
    private volatile RunContext run;

    /** Starts discovery of the run's work (rows older than {@code cutoffMs}, by the run's selection). */
    EarlyDiscovery(WorkFinder finder, ActiveRun active, long cutoffMs, boolean includeRemote,
            boolean includeQuarantined) {
        this.counters = requireNonNull(active, "active is null").counters;
        this.stop = active.stop;
        this.work = finder.stream(cutoffMs, includeRemote, includeQuarantined, this, active.stop, this::timeUp,
                this::awaitAdmission);
    }

    /**
     * Holds discovery after its first chunk until the run is admitted: only that chunk overlaps the check. Going on
     * (the next chunks, the count-ahead's walk of the whole store) would compete with the check for a small host's
     * CPU and delay the first PUT instead; and a refused run should not have walked the store.
     */
    private synchronized void awaitAdmission() {
        try {
            while (!admitted && !discarded && !stop.stopped()) {
                wait(HOLD_POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopSignal.StoppedException();
        }
        if (!admitted) {
            throw new StopSignal.StoppedException();
        }
    }

    @Override
    public synchronized void scanned(MediaRow row) {
        if (admitted) {
            counters.mediaScanned.incrementAndGet();
        } else {
            heldScanned++;
        }
    }

    @Override
    public synchronized void skipped(MediaRow row, String reason) {
        if (admitted) {
            counters.mediaSkipped.incrementAndGet();
            counters.error(reason);
        } else {
            heldSkipped++;
            if (heldReasons.size() < MAX_HELD_REASONS) {
                heldReasons.add(reason);
            }
        }
    }

    /** The run may go ahead: what was held is counted now, and the run takes the stream (and closes it). */
    synchronized WorkStream admit(RunContext admittedRun) {
        if (discarded) {
            throw new IllegalStateException("discovery was discarded");
        }
        run = requireNonNull(admittedRun, "admittedRun is null");
        counters.mediaScanned.addAndGet(heldScanned);
        counters.mediaSkipped.addAndGet(heldSkipped);
        heldReasons.forEach(counters::error);
        heldReasons.clear();
        admitted = true;
        notifyAll();
        return work;
    }

    /** The run does not go ahead (refused, or not a media store): discovery ends, its counts are dropped. */
    synchronized void discard() {
        if (admitted || discarded) {
            return; // an admitted run closes the stream itself
        }
        discarded = true;
        notifyAll();
        work.close();
    }

    private boolean timeUp() {
        RunContext r = run;
        return r != null && !r.mayStartMore();
    }
}

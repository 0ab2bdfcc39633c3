package org.mediaoffload.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * What the scheduler, the admin API and the CLI need from the engine. At most one run at a time, whoever
 * asks (scheduled or manual).
 */
public interface RunControl {

    /**
     * Starts a run in the background.
     *
     * @return the new run's id
     * @throws RunInProgressException when a run is already going
     */
    long startRun(String trigger, boolean dryRun);

    /** Runs to the end on the calling thread (run-once, the Quartz job). */
    RunSummary runNow(String trigger, boolean dryRun);

    Optional<LiveProgress> current();

    /** Asks the current run to stop safely; false when idle. */
    boolean cancelCurrent();

    List<RunSummary> history(int limit);

    /** Cheap checks that the Synapse DB and the bucket answer; throws with a reason when not. */
    void checkReady();

    final class RunInProgressException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RunInProgressException(long runningId) {
            super("run " + runningId + " is in progress");
        }

        /** Something else holds the daemon's one work slot (e.g. an audit); the message says what. */
        public RunInProgressException(String message) {
            super(message);
        }
    }
}

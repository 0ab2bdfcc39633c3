package org.mediaoffload.pipeline;

/**
 * Observes a run as it happens (metrics, progress bar, admin API). Called from pipeline threads, so
 * implementations must be thread-safe and quick.
 */
public interface RunListener {
    default void runStarted(long runId, String trigger, boolean dryRun) {}

    default void phaseChanged(RunPhase phase) {}

    /** The run's work (media, files, bytes), counted once after the scan and before the first transfer. */
    default void workPlanned(long media, long files, long bytes) {}

    /**
     * One file's work is done as far as progress goes: uploaded (its verification follows with the batch), found in
     * the bucket, skipped or failed. Called once per file, as each finishes; progress bars and live figures count
     * these, not {@link #fileFinished}, which waits for the batch's verification.
     */
    default void fileProgressed(long bytes) {}

    /** A file's outcome is final (an upload only once it is verified). */
    default void fileFinished(FileOutcome outcome, long bytes) {}

    default void fileDeleted(long bytes) {}

    /**
     * A local original's bytes do not hash to Synapse's sha256 (it is kept; its outcome is reported as skipped too).
     */
    default void localContentDiffers(long bytes) {}

    default void runFinished(RunSummary summary) {}

    RunListener NONE = new RunListener() {};
}

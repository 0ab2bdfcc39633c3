package org.mediaoffload.pipeline;

/** How a run ended. SUCCEEDED is exit code 0 for run-once, REFUSED 2, everything else 1. */
public enum RunStatus {
    RUNNING,
    /** Every eligible file was handled; skipped rows are reported, not failures. */
    SUCCEEDED,
    /** The run went to the end but some files failed (kept locally, reported). */
    FAILED_FILES,
    /** Stopped by an S3 or database outage. */
    ABORTED,
    /** Cancelled by an operator or by shutdown. */
    CANCELLED,
    /** Hit offload.max-run-duration; the next run continues. */
    TIME_LIMIT,
    /**
     * Did not start: the configured target (endpoint, bucket, prefix, SSE-C key) is not the pinned one, or could not
     * be proven. Nothing was uploaded or deleted; the reason is the run's first problem.
     */
    REFUSED;

    public int exitCode() {
        return switch (this) {
            case SUCCEEDED -> 0;
            case REFUSED -> 2;
            default -> 1;
        };
    }
}

package org.mediaoffload.pipeline;

/**
 * How a run ended. For run-once, SUCCEEDED maps to exit code 0, REFUSED and MISCONFIGURED to 2 (as a configuration
 * error), everything else to 1.
 */
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
    REFUSED,
    /**
     * Stopped because no upload could succeed as configured: no such bucket, refused credentials, TLS or DNS failure,
     * or a store refusing every upload the same way. The errors name the setting.
     */
    MISCONFIGURED;

    /** How logs and summaries say it: "succeeded", "finished with failed files", never the enum's name. */
    public String words() {
        return switch (this) {
            case RUNNING -> "is running";
            case SUCCEEDED -> "succeeded";
            case FAILED_FILES -> "finished with failed files";
            case ABORTED -> "was aborted";
            case CANCELLED -> "was cancelled";
            case TIME_LIMIT -> "stopped at offload.max-run-duration";
            case REFUSED -> "was refused (its bucket target is not the pinned one)";
            case MISCONFIGURED -> "was stopped as misconfigured (the bucket cannot be used as configured)";
        };
    }

    public int exitCode() {
        return switch (this) {
            case SUCCEEDED -> 0;
            case REFUSED, MISCONFIGURED -> 2;
            default -> 1;
        };
    }
}

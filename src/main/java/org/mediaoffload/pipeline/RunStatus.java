package org.mediaoffload.pipeline;

/** How a run ended. Everything but SUCCEEDED maps to exit code 1 for run-once. */
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
    TIME_LIMIT;

    /** How logs and summaries say it: "succeeded", "finished with failed files", never the enum's name. */
    public String words() {
        return switch (this) {
            case RUNNING -> "is running";
            case SUCCEEDED -> "succeeded";
            case FAILED_FILES -> "finished with failed files";
            case ABORTED -> "was aborted";
            case CANCELLED -> "was cancelled";
            case TIME_LIMIT -> "stopped at offload.max-run-duration";
        };
    }

    public int exitCode() {
        return this == SUCCEEDED ? 0 : 1;
    }
}

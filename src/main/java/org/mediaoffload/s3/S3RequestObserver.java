package org.mediaoffload.s3;

/**
 * Sees every S3 API call the store makes, for metrics. Called once per call, after the SDK's own retries,
 * on the calling thread; it must be cheap and must not throw.
 */
public interface S3RequestObserver {
    /**
     * @param operation  the S3 operation name, e.g. {@code PutObject}, {@code UploadPart}
     * @param httpStatus the final HTTP status, or 0 when no response came (connection refused, timeout)
     * @param nanos      wall time of the call including retries
     */
    void requestCompleted(String operation, int httpStatus, long nanos);

    S3RequestObserver NONE = (operation, httpStatus, nanos) -> { };
}

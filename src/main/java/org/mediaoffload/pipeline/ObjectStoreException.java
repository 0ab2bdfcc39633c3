package org.mediaoffload.pipeline;

/**
 * A request to the bucket failed after retries. {@code status} is the HTTP status, or 0 when no response came
 * (connection refused, timeout). Messages name the key and the S3 error code, never credentials or the SSE-C key.
 */
public class ObjectStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;

    public ObjectStoreException(String message, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode == null ? "" : errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    /** No answer, or the store said it is unavailable: the whole store is likely down, not just this object. */
    public boolean looksLikeOutage() {
        return status == 0 || status == 503 || status == 500 || status == 502 || status == 504;
    }
}

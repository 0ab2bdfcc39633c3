package org.mediaoffload.pipeline;

/**
 * The bucket as configured cannot take any upload (no such bucket, refused credentials, TLS or DNS failure, a
 * store refusing every upload the same way). Ends the run at once; the message names the setting to change.
 */
public final class TargetUnusableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TargetUnusableException(String message, Throwable cause) {
        super(message, cause);
    }
}

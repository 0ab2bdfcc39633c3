package org.mediaoffload.store;

/** The media store as a whole cannot be read (missing root, unreadable top-level directory). Ends the run. */
public final class MediaStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MediaStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

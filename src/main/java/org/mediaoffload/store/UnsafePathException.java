package org.mediaoffload.store;

/**
 * A path would leave its place in the media store (a symlink below a top-level directory, or ids that do not
 * describe a store path). Nothing is read or deleted; the caller reports the media and keeps its files.
 */
public final class UnsafePathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsafePathException(String message) {
        super(message);
    }
}

package org.mediaoffload.pin;

/** A target could not be recorded; the message says why and what to do. */
public final class TargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TargetException(String message) {
        super(message);
    }
}

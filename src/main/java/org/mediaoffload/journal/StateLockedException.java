package org.mediaoffload.journal;

/** Another process (or another part of this one) already uses the state directory. The CLI exits 2. */
public final class StateLockedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateLockedException(String message) {
        super(message);
    }
}

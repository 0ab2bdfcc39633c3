package org.mediaoffload.journal;

/**
 * The state database could not be opened, upgraded, read or written. Messages name the file and, where the
 * operator can act, what to do.
 */
public final class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    public JournalException(String message) {
        super(message);
    }
}

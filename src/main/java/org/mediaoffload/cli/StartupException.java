package org.mediaoffload.cli;

/** A reason not to start that the operator must fix (message says what). Exit code 2. */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }
}

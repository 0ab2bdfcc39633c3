package org.mediaoffload.cli;

/** run-once / check-config / daemon exit codes, as documented in the README. */
final class ExitCodes {
    static final int OK = 0;
    /** The run finished with failed files, or was stopped by an outage, a duration cap or a cancel. */
    static final int RUN_INCOMPLETE = 1;
    /** Configuration or startup error, including a state directory locked by another process. */
    static final int STARTUP = 2;

    private ExitCodes() {}
}

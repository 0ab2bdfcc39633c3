package org.mediaoffload.pipeline;

/** What happened to one local file in a run (deletion is reported separately). */
public enum FileOutcome {
    UPLOADED,
    ALREADY_PRESENT,
    FAILED,
    SKIPPED
}

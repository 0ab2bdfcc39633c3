package org.mediaoffload.audit;

/**
 * Where an audit is, for a terminal's progress display. {@link #phase} is called from the audit's thread and
 * {@link #compared} from its merge thread, at times both at once: implementations synchronize.
 */
public interface AuditProgress {
    AuditProgress NONE = new AuditProgress() {};

    /** e.g. "reading the database", "comparing with the bucket". */
    default void phase(String description) {}

    /** Keys compared so far. */
    default void compared(long keys) {}
}

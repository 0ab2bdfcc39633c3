package org.mediaoffload.audit;

import java.time.Instant;

/** Told when audits start and end (the daemon's metrics). */
public interface AuditListener {
    AuditListener NONE = new AuditListener() {};

    default void auditStarted(long id, Instant at) {}

    default void auditFinished(AuditReport report) {}
}

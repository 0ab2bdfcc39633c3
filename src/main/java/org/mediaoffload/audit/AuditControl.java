package org.mediaoffload.audit;

import java.util.List;
import java.util.Optional;

/** What the admin API and the schedule need from the daemon's audits. */
public interface AuditControl {

    /**
     * Starts a report-only audit in the background.
     *
     * @return its id
     * @throws AuditBusyException when a run or another audit is in progress
     */
    long startAudit(String trigger);

    /** Waits for the daemon's work slot, then audits on the calling thread (the Quartz job). */
    AuditReport runNow(String trigger);

    /** The id of the audit in progress. */
    Optional<Long> current();

    Optional<AuditReport> latest();

    /** Finished audits, newest first. */
    List<AuditReport> recent(int limit);

    final class AuditBusyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AuditBusyException(String message) {
            super(message);
        }
    }
}

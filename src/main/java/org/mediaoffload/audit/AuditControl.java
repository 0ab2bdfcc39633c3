package org.mediaoffload.audit;

import java.util.List;
import java.util.Optional;

/** What the admin API and the schedule need from the daemon's audits. */
public interface AuditControl {

    /**
     * Starts an audit in the background (it deletes orphans only with offload.audit.delete-orphans).
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

    /** A finished audit's report. */
    Optional<AuditReport> report(long id);

    /** An audit's journaled deletions, in key order after {@code afterKey} ("" for the first page). */
    List<AuditJournal.Deletion> deletions(long id, String afterKey, int limit);

    /** Finished audits, newest first. */
    List<AuditReport> recent(int limit);

    final class AuditBusyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AuditBusyException(String message) {
            super(message);
        }
    }
}

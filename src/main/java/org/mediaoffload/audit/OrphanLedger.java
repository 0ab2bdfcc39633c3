package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.mediaoffload.pipeline.DiskMediaId;

/**
 * Keeps each orphan's first sighting and ETag in the audit journal, in batches as the merge finds them, so a later
 * reconcile can require "an orphan, with the same ETag, in every audit since first seen, for at least the grace".
 * Nothing is deleted here.
 */
final class OrphanLedger {
    static final int BATCH = 500;

    private final AuditJournal journal;
    private final long auditId;
    private final long previousAudit;
    private final Clock clock;
    private final List<AuditJournal.SeenOrphan> pending = new ArrayList<>();

    OrphanLedger(AuditJournal journal, long auditId, Clock clock) {
        this.journal = requireNonNull(journal, "journal is null");
        this.auditId = auditId;
        this.clock = requireNonNull(clock, "clock is null");
        this.previousAudit = journal.lastOrphanAudit();
    }

    void seen(AuditBucket.BucketObject orphan, DiskMediaId media) {
        pending.add(new AuditJournal.SeenOrphan(orphan, media(media)));
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    /**
     * The grouping key of a media's objects in the journal: its original and its thumbnails are far apart in key
     * order, and the reconcile deletes them together or not at all.
     */
    static String media(DiskMediaId id) {
        return switch (id.kind()) {
            case LOCAL -> "local/" + id.filesystemId();
            case REMOTE -> "remote/" + id.origin() + "/" + id.filesystemId();
        };
    }

    void flush() {
        if (!pending.isEmpty()) {
            journal.orphansSeen(auditId, previousAudit, pending, clock.instant());
            pending.clear();
        }
    }

    /** Only a complete audit proves that an orphan it did not see is gone; a partial one keeps the history. */
    void finish(boolean complete) {
        flush();
        if (complete) {
            journal.forgetOrphansNotSeenIn(auditId);
        }
    }
}

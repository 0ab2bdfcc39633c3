package org.mediaoffload.audit;

import java.util.List;

/**
 * What {@code audit --delete-orphans} deleted (in a dry run: would delete), and what each guard kept. Counts are
 * objects unless named media.
 *
 * @param notDue         orphans not yet seen twice with the same ETag, or first seen within the grace (guard 1)
 * @param rowBack        media whose row was found again just before the deletion (guard 2)
 * @param overFraction   orphans in a tree kind with too many orphans (guard 3)
 * @param overLimit      qualifying orphans left for a later audit by offload.audit.max-deletions (guard 4)
 * @param failed         deletions the store refused or did not answer (see the audit's errors)
 * @param notes          why guards held, and what a deletion means in this bucket (versioning)
 */
public record ReconcileReport(boolean dryRun, long mediaDeleted, long objectsDeleted, long bytesReclaimed,
        long notDue, long rowBack, long overFraction, long overLimit, long failed, List<String> notes) {}

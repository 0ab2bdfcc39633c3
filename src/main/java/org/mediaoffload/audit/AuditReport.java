package org.mediaoffload.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audit's result, as --json prints it, the journal keeps it and the admin API returns it.
 *
 * @param status            {@code CLEAN}, {@code PROBLEMS} (new lost media, corrupt or unreadable objects), or
 *                          {@code INCOMPLETE} (stopped by max-duration, or failed: see {@code errors}), or
 *                          {@code REFUSED} (the configured target is not the pinned one: nothing was read)
 * @param lostMedia         local media lost (confirmed by a second look), acknowledged ones included
 * @param newLostMedia      lost local and remote media not in the acknowledged baseline
 * @param contentChecked    originals read back and compared with Synapse's sha256 or our upload's MD5
 * @param classes           files and bytes per class (see {@link AuditClass#jsonName()})
 * @param samples           up to 20 ids per class: media ids for lost media, keys (without prefix) otherwise
 * @param orphansDeleted    objects deleted by {@code --delete-orphans} (a dry run: what it would delete)
 * @param reconcile         what the reconcile did and why; null when the audit was not asked to delete orphans
 */
public record AuditReport(
        long id,
        String trigger,
        String status,
        boolean dryRun,
        Instant startedAt,
        Instant endedAt,
        double durationSeconds,
        long objectsAudited,
        long bytesAudited,
        long mediaRows,
        long lostMedia,
        long lostRemoteMedia,
        long newLostMedia,
        long acknowledgedLostMedia,
        long orphanObjects,
        long orphanBytes,
        long sizeMismatches,
        long strayThumbnails,
        long foreignObjects,
        long contentChecked,
        long contentMismatches,
        long contentUnverifiable,
        long unreadable,
        long orphansDeleted,
        long bytesReclaimed,
        String bucketVersioning,
        String bucketObjectLock,
        boolean synapseSha256,
        Map<String, Count> classes,
        Map<String, List<String>> samples,
        List<String> errors,
        ReconcileReport reconcile) {

    public static final String CLEAN = "CLEAN";
    public static final String PROBLEMS = "PROBLEMS";
    public static final String INCOMPLETE = "INCOMPLETE";
    /** Not started: the configured target is not the pinned one (or cannot be proven), as for a refused run. */
    public static final String REFUSED = "REFUSED";

    public record Count(long files, long bytes) {}

    /**
     * 0 clean, 1 when lost (new), corrupt or unreadable media exist or the audit did not complete, 2 when it was
     * refused (a configuration error, as for run-once).
     */
    public int exitCode() {
        if (REFUSED.equals(status)) {
            return 2;
        }
        return CLEAN.equals(status) ? 0 : 1;
    }

    /** Whether the audit ran to the end (CLEAN or PROBLEMS): only then do its figures describe the bucket. */
    public boolean complete() {
        return CLEAN.equals(status) || PROBLEMS.equals(status);
    }

    /** This report as refused. */
    AuditReport refused() {
        return new AuditReport(id, trigger, REFUSED, dryRun, startedAt, endedAt, durationSeconds, objectsAudited,
                bytesAudited, mediaRows, lostMedia, lostRemoteMedia, newLostMedia, acknowledgedLostMedia,
                orphanObjects, orphanBytes, sizeMismatches, strayThumbnails, foreignObjects, contentChecked,
                contentMismatches, contentUnverifiable, unreadable, orphansDeleted, bytesReclaimed, bucketVersioning,
                bucketObjectLock, synapseSha256, classes, samples, errors, reconcile);
    }
}

package org.mediaoffload.config;

import java.time.Duration;

/**
 * {@code offload.audit}: when the daemon audits, for how long at most (it holds the run mutex meanwhile), and the
 * reconcile's guards (see README "Audit": which orphans may be deleted from the bucket).
 *
 * @param cron              Quartz cron expression, in {@code offload.schedule.time-zone}
 * @param maxDuration       0 = unbounded
 * @param deleteOrphans     whether the daemon's own audits (scheduled, API) delete qualifying orphans
 * @param orphanGrace       an orphan is deleted only when first seen at least this long ago
 * @param maxOrphanFraction no deletion in a tree kind where orphans exceed this share of the objects audited
 * @param maxDeletions      at most this many objects deleted per audit
 */
public record AuditConfig(String cron, Duration maxDuration, boolean deleteOrphans, Duration orphanGrace,
        double maxOrphanFraction, long maxDeletions) {
    public static final String DEFAULT_CRON = "0 0 3 ? * SUN";
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(6);
    public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofDays(30);
    public static final double DEFAULT_MAX_ORPHAN_FRACTION = 0.05;
    public static final long DEFAULT_MAX_DELETIONS = 100_000;

    /** Report-only audits with the default guards. */
    public AuditConfig(String cron, Duration maxDuration) {
        this(cron, maxDuration, false, DEFAULT_ORPHAN_GRACE, DEFAULT_MAX_ORPHAN_FRACTION, DEFAULT_MAX_DELETIONS);
    }

    public static AuditConfig defaults() {
        return new AuditConfig(DEFAULT_CRON, DEFAULT_MAX_DURATION);
    }
}

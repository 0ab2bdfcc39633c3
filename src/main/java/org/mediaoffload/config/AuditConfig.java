package org.mediaoffload.config;

import java.time.Duration;
import java.time.ZoneId;
import org.quartz.CronExpression;

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

    /** Report-only audits with reference.conf's guards. */
    public AuditConfig(String cron, Duration maxDuration) {
        this(cron, maxDuration, false, defaults().orphanGrace(), defaults().maxOrphanFraction(),
                defaults().maxDeletions());
    }

    /** reference.conf's audit settings. */
    public static AuditConfig defaults() {
        return ConfigLoader.defaults().audit();
    }

    /** The audit's cron expression in the schedule's time zone; the loader has refused one that does not parse. */
    public CronExpression cronExpression(ZoneId timeZone) {
        return ScheduleConfig.parse("offload.audit.cron", cron, timeZone);
    }
}

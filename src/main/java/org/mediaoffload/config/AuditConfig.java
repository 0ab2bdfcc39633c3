package org.mediaoffload.config;

import java.time.Duration;
import java.time.ZoneId;
import org.quartz.CronExpression;

/**
 * {@code offload.audit}: when the daemon audits, and for how long at most (it holds the run mutex meanwhile).
 *
 * @param cron        Quartz cron expression, in {@code offload.schedule.time-zone}
 * @param maxDuration 0 = unbounded
 */
public record AuditConfig(String cron, Duration maxDuration) {
    /** reference.conf's audit settings. */
    public static AuditConfig defaults() {
        return ConfigLoader.defaults().audit();
    }

    /** The audit's cron expression in the schedule's time zone; the loader has refused one that does not parse. */
    public CronExpression cronExpression(ZoneId timeZone) {
        return ScheduleConfig.parse("offload.audit.cron", cron, timeZone);
    }
}

package org.mediaoffload.config;

import java.time.Duration;

/**
 * {@code offload.audit}: when the daemon audits, and for how long at most (it holds the run mutex meanwhile).
 *
 * @param cron        Quartz cron expression, in {@code offload.schedule.time-zone}
 * @param maxDuration 0 = unbounded
 */
public record AuditConfig(String cron, Duration maxDuration) {
    public static final String DEFAULT_CRON = "0 0 3 ? * SUN";
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(6);

    public static AuditConfig defaults() {
        return new AuditConfig(DEFAULT_CRON, DEFAULT_MAX_DURATION);
    }
}

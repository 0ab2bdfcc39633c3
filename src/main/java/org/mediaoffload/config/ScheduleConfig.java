package org.mediaoffload.config;

import java.text.ParseException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.TimeZone;
import org.quartz.CronExpression;

/** {@code offload.schedule}: when the daemon runs. */
public record ScheduleConfig(String cron, ZoneId timeZone, boolean catchUp, Duration randomDelay) {
    /** The run's cron expression in its time zone; the loader has refused one that does not parse. */
    public CronExpression cronExpression() {
        return parse("offload.schedule.cron", cron, timeZone);
    }

    /** The one reading of a cron expression; the loader reports its exception's message with the setting's origin. */
    static CronExpression parse(String setting, String cron, ZoneId timeZone) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone(timeZone));
            return expression;
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException(setting + " = \"" + cron + "\" is not a Quartz cron expression ("
                    + e.getMessage() + "); it has six or seven fields, seconds first, e.g. \"0 0 5 * * ?\" for daily at 05:00", e);
        }
    }
}

package org.mediaoffload.config;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import org.quartz.CronExpression;

/** Builds {@link ScheduleConfig} from {@code offload.schedule}. */
final class ScheduleSettings {
    private static final String P = "offload.schedule.";
    private static final String DEFAULT_CRON = "0 0 5 * * ?";

    private ScheduleSettings() {}

    static ScheduleConfig read(SettingsReader reader) {
        String cron = reader.string(P + "cron", DEFAULT_CRON);
        if (!CronExpression.isValidExpression(cron)) {
            reader.error(P + "cron", "= \"" + cron + "\" is not a Quartz cron expression (" + reason(cron) + ");"
                    + " it has six or seven fields, seconds first, e.g. \"0 0 5 * * ?\" for daily at 05:00");
            cron = DEFAULT_CRON;
        }
        ZoneId timeZone = ZoneId.systemDefault();
        String zone = reader.string(P + "time-zone", "");
        if (!zone.isEmpty()) {
            try {
                timeZone = ZoneId.of(zone);
            } catch (DateTimeException e) {
                reader.error(P + "time-zone", "= \"" + zone + "\" is not a time zone; use a region id such as"
                        + " Europe/Berlin or UTC, or \"\" for the system's");
            }
        }
        Duration randomDelay = reader.duration(P + "random-delay", Duration.ZERO);
        if (randomDelay.isNegative()) {
            reader.error(P + "random-delay", "must not be negative");
        }
        return new ScheduleConfig(cron, timeZone, reader.bool(P + "catch-up", false), randomDelay);
    }

    private static String reason(String cron) {
        try {
            CronExpression.validateExpression(cron);
            return "invalid";
        } catch (ParseException e) {
            return e.getMessage();
        }
    }
}

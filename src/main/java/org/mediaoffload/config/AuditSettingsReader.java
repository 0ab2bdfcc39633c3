package org.mediaoffload.config;

import java.time.Duration;
import org.quartz.CronExpression;

/** Builds {@link AuditConfig} from {@code offload.audit}. */
final class AuditSettingsReader {
    private static final String P = "offload.audit.";

    private AuditSettingsReader() {}

    static AuditConfig read(SettingsReader reader) {
        String cron = reader.string(P + "cron", AuditConfig.DEFAULT_CRON);
        if (!CronExpression.isValidExpression(cron)) {
            reader.error(P + "cron", "= \"" + cron + "\" is not a Quartz cron expression; it has six or seven"
                    + " fields, seconds first, e.g. \"" + AuditConfig.DEFAULT_CRON + "\" for Sundays at 03:00");
            cron = AuditConfig.DEFAULT_CRON;
        }
        Duration max = reader.duration(P + "max-duration", AuditConfig.DEFAULT_MAX_DURATION);
        if (max.isNegative()) {
            reader.error(P + "max-duration", "must not be negative (0 = no limit)");
        }
        return new AuditConfig(cron, max);
    }
}

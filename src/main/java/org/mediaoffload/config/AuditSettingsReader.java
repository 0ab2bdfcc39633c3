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
        boolean deleteOrphans = reader.bool(P + "delete-orphans", false);
        Duration grace = reader.duration(P + "orphan-grace", AuditConfig.DEFAULT_ORPHAN_GRACE);
        if (grace.isNegative()) {
            reader.error(P + "orphan-grace", "must not be negative");
        }
        double fraction = fraction(reader);
        long maxDeletions = reader.integer(P + "max-deletions", (int) AuditConfig.DEFAULT_MAX_DELETIONS);
        if (maxDeletions < 0) {
            reader.error(P + "max-deletions", "must not be negative (0 = delete nothing)");
        }
        return new AuditConfig(cron, max, deleteOrphans, grace, fraction, maxDeletions);
    }

    /** A share from 0 to 1; read as text because no other setting is a fraction. */
    private static double fraction(SettingsReader reader) {
        String text = reader.string(P + "max-orphan-fraction", String.valueOf(AuditConfig.DEFAULT_MAX_ORPHAN_FRACTION));
        try {
            double f = Double.parseDouble(text.strip());
            if (f >= 0 && f <= 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        reader.error(P + "max-orphan-fraction", "= \"" + text + "\" must be a share from 0 to 1, e.g. 0.05 (5 %)");
        return AuditConfig.DEFAULT_MAX_ORPHAN_FRACTION;
    }
}

package org.mediaoffload.schedule;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.quartz.CronExpression;

/**
 * systemd's {@code Persistent=}: a run is owed when the schedule fired (or should have) since the last run
 * started. Without any previous run nothing is owed; the first run comes with the schedule.
 */
final class CatchUp {
    private CatchUp() {}

    static boolean missed(CronExpression cron, Optional<Instant> lastRunStart, Instant now) {
        if (lastRunStart.isEmpty()) {
            return false;
        }
        Date due = cron.getNextValidTimeAfter(Date.from(lastRunStart.get()));
        return due != null && !due.toInstant().isAfter(now);
    }
}

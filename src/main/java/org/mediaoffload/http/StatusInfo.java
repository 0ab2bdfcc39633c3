package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the status page shows besides the runs themselves; asked for at every page load.
 *
 * @param nextScheduledRun when the schedule fires next (before any random delay); empty without a schedule
 * @param schedule         a human description, e.g. {@code 0 0 5 * * ? (Europe/Berlin)}
 * @param lastAudit        one line on the last audit (when, status, lost and orphans), "" before the first
 */
public record StatusInfo(Optional<Instant> nextScheduledRun, String schedule, String lastAudit) {
    public StatusInfo {
        requireNonNull(nextScheduledRun, "nextScheduledRun is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(lastAudit, "lastAudit is null");
    }

    public StatusInfo(Optional<Instant> nextScheduledRun, String schedule) {
        this(nextScheduledRun, schedule, "");
    }
}

package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the status page shows besides the runs themselves; asked for at every page load.
 *
 * @param nextScheduledRun when the schedule fires next (before any random delay); empty without a schedule
 * @param schedule         a human description, e.g. {@code 0 0 5 * * ? (Europe/Berlin)}
 * @param pinnedTarget     the pinned target on one line (the SSE-C key as its MD5); empty while none is pinned
 * @param targetRefusal    why the last run was refused for its target; empty when it was not
 * @param lastAudit        one line on the last audit (when, status, lost and orphans), "" before the first
 */
public record StatusInfo(Optional<Instant> nextScheduledRun, String schedule, Optional<String> pinnedTarget,
        Optional<String> targetRefusal, String lastAudit) {
    public StatusInfo {
        requireNonNull(nextScheduledRun, "nextScheduledRun is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(pinnedTarget, "pinnedTarget is null");
        requireNonNull(targetRefusal, "targetRefusal is null");
        requireNonNull(lastAudit, "lastAudit is null");
    }

    public StatusInfo(Optional<Instant> nextScheduledRun, String schedule) {
        this(nextScheduledRun, schedule, Optional.empty(), Optional.empty(), "");
    }
}

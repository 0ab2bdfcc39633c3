package org.mediaoffload.config;

import java.time.Duration;

/**
 * Which media are eligible, as upstream's {@code update-db <duration>}, plus our quiet period.
 *
 * @param minAge       media whose COALESCE(last_access_ts, created_ts) is older than now - minAge are eligible
 * @param quietPeriod  files modified more recently than this are left alone (Synapse may still write them)
 */
public record SelectionConfig(
        Duration minAge, boolean includeRemote, boolean includeQuarantined, Duration quietPeriod) {}

package org.mediaoffload.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole, validated configuration. Immutable; built once at start by {@code ConfigLoader}.
 *
 * @param maxRunDuration   a run that takes longer stops cleanly (the next run continues); zero = no cap
 * @param homeserverConfig {@code --homeserver-config}: its S3 provider entry is compared with our target before every
 *                         run (the target itself is pinned in the state directory, not here)
 * @param warnings         non-fatal findings to log once at start (e.g. ONEZONE_IA)
 */
public record OffloadConfig(
        Path mediaStorePath,
        DatabaseConfig database,
        SelectionConfig selection,
        S3Config s3,
        boolean deleteLocal,
        Path stateDir,
        Duration maxRunDuration,
        Duration journalRetention,
        ScheduleConfig schedule,
        HttpConfig http,
        MetricsConfig metrics,
        Duration shutdownGrace,
        Optional<Path> homeserverConfig,
        List<String> warnings,
        AuditConfig audit) {}

package org.mediaoffload.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole, validated configuration. Immutable; built once at start by {@code ConfigLoader}.
 *
 * @param maxRunDuration   a run that takes longer stops cleanly (the next run continues); zero = no cap
 * @param providerChecked  true when a homeserver.yaml S3 provider entry was compared with our settings and matched
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
        boolean providerChecked,
        List<String> warnings,
        AuditConfig audit) {}

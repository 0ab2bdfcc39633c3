package org.mediaoffload.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/** The effective configuration as a few lines for the start-up log. Secrets show only whether they are set. */
final class ConfigDescription {
    private static final String MASK = Redactor.MASK;

    private ConfigDescription() {}

    static String of(OffloadConfig config) {
        StringJoiner lines = new StringJoiner(System.lineSeparator());
        lines.add("Effective configuration:");
        lines.add("  media-store-path = " + config.mediaStorePath());
        lines.add("  state-dir = " + config.stateDir() + ", delete-local = " + config.deleteLocal()
                + ", max-run-duration = " + duration(config.maxRunDuration()) + ", journal-retention = "
                + duration(config.journalRetention()) + ", shutdown-grace = " + duration(config.shutdownGrace()));
        lines.add("  database: " + database(config.database()));
        SelectionConfig selection = config.selection();
        lines.add("  selection: min-age = " + duration(selection.minAge()) + ", include-remote = "
                + selection.includeRemote() + ", include-quarantined = " + selection.includeQuarantined()
                + ", quiet-period = " + duration(selection.quietPeriod()));
        lines.add("  s3: " + s3(config.s3()));
        S3Config s3 = config.s3();
        lines.add("  s3 transfer: concurrency = " + s3.concurrency() + ", multipart-threshold = "
                + s3.multipartThreshold() + " B, multipart-part-size = " + s3.multipartPartSize()
                + " B, multipart-concurrency = " + s3.multipartConcurrency() + ", max-attempts = " + s3.maxAttempts() + ", request-timeout = " + duration(s3.requestTimeout())
                + ", bandwidth-limit = " + (s3.bandwidthLimit() == 0 ? "unlimited" : s3.bandwidthLimit() + " B/s"));
        ScheduleConfig schedule = config.schedule();
        lines.add("  schedule: cron = \"" + schedule.cron() + "\", time-zone = " + schedule.timeZone()
                + ", catch-up = " + schedule.catchUp() + ", random-delay = " + duration(schedule.randomDelay()));
        lines.add("  audit: cron = \"" + config.audit().cron() + "\", max-duration = "
                + duration(config.audit().maxDuration()));
        HttpConfig http = config.http();
        lines.add("  http: " + (http.port() == -1 ? "off" : http.bind() + ":" + http.port())
                + ", admin-token = " + secret(http.adminToken()));
        MetricsConfig metrics = config.metrics();
        lines.add("  metrics: " + (metrics.port() == -1 ? "on the admin API only" : metrics.bind() + ":" + metrics.port()));
        lines.add("  homeserver.yaml (its S3 provider entry is compared with our target at every run): "
                + config.homeserverConfig().map(Object::toString).orElse("none"));
        for (String warning : config.warnings()) {
            lines.add("  warning: " + warning);
        }
        return lines.toString();
    }

    private static String database(DatabaseConfig db) {
        if (db.type() == DatabaseType.SQLITE) {
            return "sqlite " + db.sqlitePath().map(Object::toString).orElse("(unset)");
        }
        StringBuilder text = new StringBuilder("postgres ");
        if (db.url().isPresent()) {
            text.append(Redactor.redactUrl(db.url().get()));
        } else {
            text.append(db.usesUnixSocket() ? "socket directory " : "host ").append(db.host().orElse("(unset)"))
                    .append(" port ").append(db.port()).append(" database ").append(db.name().orElse("(unset)"));
        }
        text.append(", user = ").append(db.user().orElse("(default)"))
                .append(", password = ").append(secret(db.password()));
        if (!db.libpqOptions().isEmpty()) {
            Map<String, String> options = new TreeMap<>();
            db.libpqOptions().forEach((key, value) -> options.put(key, key.contains("password") ? MASK : value));
            text.append(", options = ").append(options);
        }
        return text.append(", statement-timeout = ").append(duration(db.statementTimeout()))
                .append(", login-timeout = ").append(duration(db.loginTimeout()))
                .append(", socket-timeout = ").append(duration(db.socketTimeout()))
                .append(", fetch-size = ").append(db.fetchSize()).toString();
    }

    private static String s3(S3Config s3) {
        return "bucket = " + s3.bucket() + ", prefix = \"" + s3.prefix() + "\", region = " + s3.region()
                + ", endpoint = " + s3.endpoint().map(Object::toString).orElse("AWS")
                + ", path-style = " + s3.pathStyle()
                + ", credentials = " + (s3.accessKeyId().isPresent()
                        ? "access key " + MASK + (s3.sessionToken().isPresent() ? " with session token" : "")
                        : "SDK default chain")
                + ", storage-class = " + s3.storageClass()
                + ", sse-c = " + s3.sseCustomerKey().map(key -> key.algorithm() + " key " + MASK).orElse("off")
                + ", ca-bundle = " + s3.caBundle().map(Object::toString).orElse("system")
                + ", rewrite-unreadable = " + s3.rewriteUnreadable();
    }

    private static String secret(Optional<Secret> secret) {
        return secret.isPresent() ? MASK : "(unset)";
    }

    static String duration(Duration duration) {
        if (duration.isZero()) {
            return "0";
        }
        long seconds = duration.getSeconds();
        if (duration.getNano() != 0) {
            return duration.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "min" : seconds + "s";
    }
}

package org.mediaoffload.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link OffloadConfig} and its small records from the merged settings, one method per record; the database
 * and the bucket have their own readers ({@link DatabaseSettings}, {@link S3Settings}).
 */
final class OffloadSettings {
    static final String UPSTREAM_FORMS = "upstream's <integer><s|h|d|m|y> (m = 30 days, y = 365 days; e.g. 0d, 12h,"
            + " 30d, 1y) or a HOCON duration such as \"12 hours\"";
    private static final Pattern UPSTREAM = Pattern.compile("(\\d{1,9})([shdmy])");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private OffloadSettings() {}

    static OffloadConfig offload(Settings s, Optional<Path> homeserverConfig) {
        Path mediaStore = mediaStore(s);
        DatabaseConfig database = DatabaseSettings.database(s);
        SelectionConfig selection = selection(s);
        S3Config s3 = S3Settings.s3(s);
        ScheduleConfig schedule = schedule(s);
        HttpConfig http = http(s);
        MetricsConfig metrics = metrics(s, http);
        AuditConfig audit = audit(s);
        Optional<Path> stateDir = s.optionalPath("offload.state-dir");
        if (stateDir.isEmpty()) {
            s.missing("offload.state-dir", "is required: where the journal and the lock live");
        }
        return new OffloadConfig(mediaStore, database, selection, s3, s.bool("offload.delete-local"),
                stateDir.orElse(Path.of("")),
                s.duration("offload.max-run-duration", d -> !d.isNegative(), "must not be negative"),
                s.duration("offload.journal-retention", d -> d.compareTo(Duration.ZERO) > 0, "must be longer than zero"),
                schedule, http, metrics,
                s.duration("offload.shutdown-grace", d -> !d.isNegative(), "must not be negative"),
                homeserverConfig, s.warnings(), audit);
    }

    private static AuditConfig audit(Settings s) {
        String p = "offload.audit.";
        return new AuditConfig(cron(s, p + "cron", ZoneId.systemDefault()),
                s.duration(p + "max-duration", d -> !d.isNegative(), "must not be negative (0 = no limit)"),
                s.bool(p + "delete-orphans"),
                s.duration(p + "orphan-grace", d -> !d.isNegative(), "must not be negative"),
                fraction(s, p + "max-orphan-fraction"),
                s.integer(p + "max-deletions", n -> n >= 0, "must not be negative (0 = delete nothing)"));
    }

    /** A share from 0 to 1; read as text because no other setting is a fraction. */
    private static double fraction(Settings s, String path) {
        String text = s.string(path);
        try {
            double f = Double.parseDouble(text.strip());
            if (f >= 0 && f <= 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        s.error(path, "= \"" + text + "\" must be a share from 0 to 1, e.g. 0.05 (5 %)");
        return 0;
    }

    private static Path mediaStore(Settings s) {
        String setting = "offload.media-store-path";
        Optional<Path> path = s.optionalPath(setting);
        if (path.isEmpty()) {
            s.missing(setting, "is required: Synapse's media store directory on this host (media_store_path in"
                    + " homeserver.yaml, MEDIA_PATH in the playbook's env file)");
        } else if (!Files.isDirectory(path.get())) {
            s.pathProblem(setting, path.get(), Files.exists(path.get()) ? "is not a directory" : "does not exist");
        } else {
            // Another value set over homeserver.yaml's (a bind mount seen under two names) is allowed but worth a
            // warning: if it is not the same directory, we offload from a store Synapse no longer writes to.
            s.dropInPath(setting, "(media_store_path)").ifPresent(synapse -> {
                Path synapsePath = Path.of(synapse.mapped().orElse(synapse.raw()));
                if (!sameDirectory(path.get(), synapsePath)) {
                    s.warning(setting, "= " + path.get() + ", but Synapse's media_store_path " + synapse.raw()
                            + (synapse.mapped().isPresent() ? " (mapped by " + PathMap.SETTING + " to " + synapsePath
                                    + ")" : "") + " is another directory: Synapse writes its media there, so new media"
                            + " are not offloaded from here. Check the path and " + PathMap.SETTING + ".");
                }
            });
        }
        return path.orElse(Path.of(""));
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static SelectionConfig selection(Settings s) {
        String p = "offload.selection.";
        return new SelectionConfig(minAge(s, p + "min-age"), s.bool(p + "include-remote"),
                s.bool(p + "include-quarantined"),
                s.duration(p + "quiet-period", d -> !d.isNegative(), "must not be negative"));
    }

    /**
     * Upstream's {@code update-db} syntax first, so the playbook's {@code UPDATE_DB_DURATION} means what it meant;
     * anything else as a HOCON duration.
     */
    private static Duration minAge(Settings s, String path) {
        Optional<ConfigValue> value = s.value(path);
        if (value.isPresent() && value.get().valueType() == ConfigValueType.STRING) {
            Optional<Duration> upstream = parseUpstream((String) value.get().unwrapped());
            if (upstream.isPresent()) {
                return upstream.get();
            }
        } else if (value.isPresent() && value.get().valueType() == ConfigValueType.NUMBER
                && ((Number) value.get().unwrapped()).doubleValue() != 0) {
            s.error(path, "= " + s.render(path) + " has no unit; use " + UPSTREAM_FORMS);
            return Duration.ZERO;
        }
        Optional<Duration> hocon = s.optionalDuration(path, "is not a duration; use " + UPSTREAM_FORMS);
        hocon.filter(Duration::isNegative).ifPresent(d -> s.error(path, "= " + s.render(path) + " must not be negative"));
        return hocon.orElse(Duration.ZERO);
    }

    /** An integer and s, h, d, m (= 30 days, not minutes) or y (= 365 days); empty for other text. */
    static Optional<Duration> parseUpstream(String text) {
        Matcher matcher = UPSTREAM.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Duration unit = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            case "m" -> Duration.ofDays(30);
            default -> Duration.ofDays(365);
        };
        return Optional.of(unit.multipliedBy(Long.parseLong(matcher.group(1))));
    }

    private static ScheduleConfig schedule(Settings s) {
        String p = "offload.schedule.";
        ZoneId timeZone = ZoneId.systemDefault();
        String zone = s.string(p + "time-zone");
        if (!zone.isEmpty()) {
            try {
                timeZone = ZoneId.of(zone);
            } catch (DateTimeException e) {
                s.error(p + "time-zone", "= \"" + zone + "\" is not a time zone; use a region id such as"
                        + " Europe/Berlin or UTC, or \"\" for the system's");
            }
        }
        return new ScheduleConfig(cron(s, p + "cron", timeZone), timeZone, s.bool(p + "catch-up"),
                s.duration(p + "random-delay", d -> !d.isNegative(), "must not be negative"));
    }

    /** Checked by the one parser the schedulers use; its message follows the setting and its origin. */
    private static String cron(Settings s, String path, ZoneId timeZone) {
        String cron = s.string(path);
        try {
            ScheduleConfig.parse(path, cron, timeZone);
        } catch (IllegalArgumentException e) {
            s.error(path, e.getMessage().substring(path.length() + 1));
        }
        return cron;
    }

    private static HttpConfig http(Settings s) {
        String bind = bind(s, "offload.http.bind");
        int port = port(s, "offload.http.port");
        HttpConfig http = new HttpConfig(bind, port, s.secret("offload.http.admin-token"));
        if (http.openToOtherHostsWithoutToken()) {
            s.error("offload.http.bind", "= " + bind + " is reachable from other hosts, but no admin token is set:"
                    + " set offload.http.admin-token-file (or admin-token), or bind to 127.0.0.1");
        }
        return http;
    }

    private static MetricsConfig metrics(Settings s, HttpConfig http) {
        String bind = bind(s, "offload.metrics.bind");
        int port = port(s, "offload.metrics.port");
        List<String> wildcards = List.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0");
        if (port > 0 && port == http.port()
                && (bind.equals(http.bind()) || wildcards.contains(bind) || wildcards.contains(http.bind()))) {
            s.error("offload.metrics.port", "= " + port + " is also offload.http.port; use another port,"
                    + " or -1 to serve /metrics on the admin API only");
        }
        return new MetricsConfig(bind, port);
    }

    private static String bind(Settings s, String path) {
        String bind = s.string(path);
        String bare = bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
        Matcher ipv4 = IPV4.matcher(bare);
        boolean valid = ipv4.matches()
                ? List.of(1, 2, 3, 4).stream().allMatch(i -> Integer.parseInt(ipv4.group(i)) <= 255)
                : IPV6.matcher(bare).matches() || HOSTNAME.matcher(bare).matches();
        if (!valid) {
            s.error(path, "= \"" + bind + "\" is not an address to listen on; use an IP address such as"
                    + " 127.0.0.1, 0.0.0.0 or ::1, or a host name");
            return "localhost"; // the load fails anyway; spares a follow-up "no admin token" error
        }
        return bare;
    }

    private static int port(Settings s, String path) {
        return s.integer(path, port -> port >= -1 && port <= 65535,
                "must be a port between 1 and 65535, 0 for any free port, or -1 for off");
    }
}

package org.mediaoffload.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code offload.selection.min-age}: upstream's {@code update-db} syntax first (an integer and s, h, d, m or y,
 * where m is 30 days and y is 365 days — not minutes, not calendar months), so the playbook's
 * {@code UPDATE_DB_DURATION} means what it meant; anything else as a HOCON duration.
 */
final class UpstreamDuration {
    static final String FORMS = "upstream's <integer><s|h|d|m|y> (m = 30 days, y = 365 days; e.g. 0d, 12h, 30d, 1y)"
            + " or a HOCON duration such as \"12 hours\"";

    private static final Pattern UPSTREAM = Pattern.compile("(\\d+)([shdmy])");

    private UpstreamDuration() {}

    /** Upstream's reading of {@code text}, or empty when it is not in upstream's syntax. */
    static Optional<Duration> parseUpstream(String text) {
        Matcher matcher = UPSTREAM.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Duration unit = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            case "m" -> Duration.ofDays(30);
            default -> Duration.ofDays(365);
        };
        try {
            return Optional.of(unit.multipliedBy(amount));
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** Reads the setting, reporting a value that is neither form. */
    static Duration read(SettingsReader reader, String path, Duration fallback) {
        Optional<ConfigValue> value = reader.value(path);
        if (value.isEmpty()) {
            return fallback;
        }
        if (value.get().valueType() == ConfigValueType.STRING) {
            Optional<Duration> upstream = parseUpstream((String) value.get().unwrapped());
            if (upstream.isPresent()) {
                return upstream.get();
            }
        } else if (value.get().valueType() == ConfigValueType.NUMBER
                && ((Number) value.get().unwrapped()).doubleValue() != 0) {
            reader.error(path, "= " + reader.render(path) + " has no unit; use " + FORMS);
            return fallback;
        }
        Duration hocon = reader.duration(path, null, "is not a duration; use " + FORMS);
        if (hocon == null) {
            return fallback;
        }
        if (hocon.isNegative()) {
            reader.error(path, "= " + reader.render(path) + " must not be negative");
            return fallback;
        }
        return hocon;
    }
}

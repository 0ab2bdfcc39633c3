package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Typed reads from the merged configuration that report a bad value as a problem (naming the setting and where
 * it was set) instead of throwing, so that every problem is found in one pass. Only the typed readers show the
 * offending value; they are never used for secrets.
 */
final class SettingsReader {
    private final Config config;
    private final Problems problems;

    SettingsReader(Config config, Problems problems) {
        this.config = requireNonNull(config, "config is null");
        this.problems = requireNonNull(problems, "problems is null");
    }

    /** "offload.s3.bucket (env file /x line 3 (BUCKET))", or just the setting when it is not set. */
    String where(String path) {
        return isSetOrNull(path) ? path + " (" + Origins.describe(config.getValue(path).origin()) + ")" : path;
    }

    /** Whether the setting has a value that is not null and not an empty string. */
    boolean isSet(String path) {
        if (!hasPath(path)) {
            return false;
        }
        ConfigValue value = config.getValue(path);
        return value.valueType() != ConfigValueType.STRING || !((String) value.unwrapped()).isEmpty();
    }

    void error(String path, String message) {
        problems.error(where(path) + " " + message);
    }

    /** A problem about a setting (or section) that is not set, so there is no origin to name. */
    void missing(String path, String message) {
        problems.error(path + " " + message);
    }

    void warning(String path, String message) {
        problems.warning(where(path) + " " + message);
    }

    /** A string setting; null and "" are unset. Numbers and booleans are taken as their text. */
    Optional<String> optionalString(String path) {
        if (!isSet(path)) {
            return Optional.empty();
        }
        ConfigValue value = config.getValue(path);
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            error(path, "must be a single value, not " + (value.valueType() == ConfigValueType.OBJECT ? "an object" : "a list"));
            return Optional.empty();
        }
        return Optional.of(String.valueOf(value.unwrapped()));
    }

    String string(String path, String fallback) {
        return optionalString(path).orElse(fallback);
    }

    Optional<Path> optionalPath(String path) {
        return optionalString(path).flatMap(text -> {
            try {
                return Optional.of(Path.of(text));
            } catch (InvalidPathException e) {
                error(path, "is not a valid path");
                return Optional.empty();
            }
        });
    }

    boolean bool(String path, boolean fallback) {
        return typed(path, () -> config.getBoolean(path), fallback, "must be true or false");
    }

    int integer(String path, int fallback) {
        return typed(path, () -> config.getInt(path), fallback, "must be a whole number");
    }

    long bytes(String path, long fallback) {
        return typed(path, () -> config.getBytes(path), fallback, "must be a size such as 8MiB, 512KiB or 1048576 (bytes)");
    }

    Duration duration(String path, Duration fallback) {
        return duration(path, fallback, "must be a duration such as 30s, 10m, 12h or 90d");
    }

    Duration duration(String path, Duration fallback, String expectation) {
        return typed(path, () -> config.getDuration(path), fallback, expectation);
    }

    /** A free-form object of string values (path-map, database.options). */
    Map<String, String> stringMap(String path) {
        Map<String, String> result = new LinkedHashMap<>();
        if (!hasPath(path)) {
            return result;
        }
        ConfigValue value = config.getValue(path);
        if (value.valueType() != ConfigValueType.OBJECT) {
            error(path, "must be an object { key = value }");
            return result;
        }
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
            ConfigValueType type = entry.getValue().valueType();
            if (type == ConfigValueType.OBJECT || type == ConfigValueType.LIST) {
                error(path, "entry \"" + entry.getKey() + "\" must be a single value");
            } else if (type != ConfigValueType.NULL) {
                result.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
            }
        }
        return result;
    }

    /** The raw value, for settings with their own syntax (min-age, path-style). */
    Optional<ConfigValue> value(String path) {
        return isSet(path) ? Optional.of(config.getValue(path)) : Optional.empty();
    }

    String render(String path) {
        return config.getValue(path).render(ConfigRenderOptions.concise());
    }

    private <T> T typed(String path, Supplier<T> read, T fallback, String expectation) {
        if (!isSet(path)) {
            return fallback;
        }
        try {
            return read.get();
        } catch (com.typesafe.config.ConfigException e) {
            error(path, "= " + render(path) + " " + expectation);
            return fallback;
        }
    }

    private boolean hasPath(String path) {
        try {
            return config.hasPath(path);
        } catch (com.typesafe.config.ConfigException e) {
            return false; // a parent is not an object; reported by the unknown-key check
        }
    }

    private boolean isSetOrNull(String path) {
        try {
            return config.hasPathOrNull(path) && !config.getIsNull(path);
        } catch (com.typesafe.config.ConfigException e) {
            return false;
        }
    }
}

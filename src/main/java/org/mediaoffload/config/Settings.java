package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.mediaoffload.host.FileOwnership;

/**
 * The one reader of the merged configuration. Every read reports a bad value as a problem naming the setting and
 * where it was set, instead of throwing, so that all problems are found in one pass. There are no defaults here: a
 * setting left unset (or set to null or "") reads reference.conf's value. Only typed reads show the offending
 * value; secrets are read by {@link #secret}, which never does.
 */
final class Settings {
    private final Config config;
    private final Config reference;
    private final Problems problems;
    private final List<Layers.PathValue> dropInPaths;

    /** @param dropInPaths paths taken from drop-in files, so that a missing one is explained (path-map) */
    Settings(Config config, Config reference, Problems problems, List<Layers.PathValue> dropInPaths) {
        this.config = requireNonNull(config, "config is null");
        this.reference = requireNonNull(reference, "reference is null");
        this.problems = requireNonNull(problems, "problems is null");
        this.dropInPaths = List.copyOf(dropInPaths);
    }

    /** "offload.s3.bucket (env file /x line 3 (BUCKET))", or just the setting when it is not set. */
    String where(String path) {
        return has(config, path) && !config.getIsNull(path)
                ? path + " (" + Problems.origin(config.getValue(path).origin()) + ")"
                : path;
    }

    /** Whether the setting has a value that is not null and not an empty string. */
    boolean isSet(String path) {
        return isSet(config, path);
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

    List<String> warnings() {
        return problems.warnings();
    }

    /** A string setting; unset when null or "", even if reference.conf has a value. Numbers and booleans are text. */
    Optional<String> optionalString(String path) {
        if (!isSet(config, path)) {
            return Optional.empty();
        }
        ConfigValue value = config.getValue(path);
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            error(path, "must be a single value, not " + (value.valueType() == ConfigValueType.OBJECT ? "an object" : "a list"));
            return Optional.empty();
        }
        return Optional.of(String.valueOf(value.unwrapped()));
    }

    /** A string setting with a default: unset, null or "" reads reference.conf's value. */
    String string(String path) {
        return optionalString(path).orElseGet(() -> isSet(reference, path) ? reference.getString(path) : "");
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

    boolean bool(String path) {
        return typed(path, Config::getBoolean, "must be true or false").orElse(false);
    }

    /** A whole number; one outside {@code valid} is reported as "= value {@code expectation}". */
    int integer(String path, Predicate<Integer> valid, String expectation) {
        Optional<Integer> value = typed(path, Config::getInt, "must be a whole number");
        value.filter(valid.negate()).ifPresent(v -> error(path, "= " + v + " " + expectation));
        return value.orElse(0);
    }

    /** A size in bytes; one outside {@code valid} is reported as "= value {@code expectation}". */
    long bytes(String path, Predicate<Long> valid, String expectation) {
        Optional<Long> value = typed(path, Config::getBytes, "must be a size such as 8MiB, 512KiB or 1048576 (bytes)");
        value.filter(valid.negate()).ifPresent(v -> error(path, "= " + v + " " + expectation));
        return value.orElse(0L);
    }

    /** A HOCON duration; one outside {@code valid} is reported as {@code expectation}. */
    Duration duration(String path, Predicate<Duration> valid, String expectation) {
        Optional<Duration> value = optionalDuration(path, "must be a duration such as 30s, 10m, 12h or 90d");
        value.filter(valid.negate()).ifPresent(v -> error(path, expectation));
        return value.orElse(Duration.ZERO);
    }

    Optional<Duration> optionalDuration(String path, String expectation) {
        return typed(path, Config::getDuration, expectation);
    }

    /** A free-form object of string values (path-map, database.options). */
    Map<String, String> stringMap(String path) {
        Map<String, String> result = new LinkedHashMap<>();
        if (!has(config, path)) {
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
        Config source = sourceOf(path);
        return isSet(source, path) ? Optional.of(source.getValue(path)) : Optional.empty();
    }

    /** reference.conf's value, for messages that suggest one ("e.g. 60s"). */
    String defaultText(String path) {
        return String.valueOf(reference.getAnyRef(path));
    }

    String render(String path) {
        return sourceOf(path).getValue(path).render(ConfigRenderOptions.concise());
    }

    /**
     * A secret from {@code <path>} or from the file {@code <path>-file} names (systemd {@code LoadCredential=},
     * Docker secrets). One trailing newline is stripped, because editors and {@code echo} add one.
     */
    Optional<Secret> secret(String path) {
        String fileSetting = path + "-file";
        Optional<String> value = optionalString(path);
        Optional<Path> file = optionalPath(fileSetting);
        if (value.isPresent() && file.isPresent()) {
            error(path, "and " + where(fileSetting) + " are both set; set only one of them");
        }
        if (value.isPresent()) {
            return value.map(Secret::new);
        }
        return file.flatMap(f -> readSecretFile(fileSetting, f));
    }

    /** Where the secret was set (value or file), for messages about it. */
    String secretWhere(String path) {
        return isSet(path + "-file") ? where(path + "-file") : where(path);
    }

    /**
     * Reports a path that does not exist on this host. When it came from a drop-in file (as a container sees it),
     * says so and how {@code offload.path-map} translates it.
     */
    void pathProblem(String setting, Path value, String what) {
        String where = where(setting);
        Optional<Layers.PathValue> fromFile = dropInPaths.stream()
                .filter(p -> p.setting().equals(setting) && where.contains(p.origin()))
                .findFirst();
        if (fromFile.isEmpty()) {
            missing(where, "= " + value + " " + what);
        } else if (fromFile.get().mapped().isPresent()) {
            missing(where, "= " + value + " " + what + " on this host; check the " + PathMap.SETTING
                    + " entry that mapped " + fromFile.get().raw());
        } else {
            missing(where, "= " + value + " " + what + " on this host. If it is a path inside a container, map it to"
                    + " the host path with " + PathMap.SETTING + ", " + PathMap.PLAYBOOK_EXAMPLE);
        }
    }

    /** The value a drop-in file gave {@code setting}, e.g. homeserver.yaml's media_store_path. */
    Optional<Layers.PathValue> dropInPath(String setting, String originMarker) {
        return dropInPaths.stream()
                .filter(p -> p.setting().equals(setting) && p.origin().contains(originMarker))
                .findFirst();
    }

    private Optional<Secret> readSecretFile(String fileSetting, Path path) {
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            text = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            if (text.isEmpty()) {
                error(fileSetting, "names " + path + ", which is empty");
                return Optional.empty();
            }
            return Optional.of(new Secret(text));
        } catch (NoSuchFileException e) {
            error(fileSetting, "names " + path + ", which does not exist");
        } catch (IOException e) {
            error(fileSetting, "names " + FileOwnership.cannotRead(path.toString(), path, e));
        }
        return Optional.empty();
    }

    private <T> Optional<T> typed(String path, BiFunction<Config, String, T> read, String expectation) {
        Config source = sourceOf(path);
        if (!isSet(source, path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read.apply(source, path));
        } catch (com.typesafe.config.ConfigException e) {
            error(path, "= " + render(path) + " " + expectation);
            return Optional.empty();
        }
    }

    /** The merged layers where the setting is set; reference.conf where they leave it unset, null or "". */
    private Config sourceOf(String path) {
        return isSet(config, path) ? config : reference;
    }

    private static boolean isSet(Config config, String path) {
        if (!has(config, path) || config.getIsNull(path)) {
            return false;
        }
        ConfigValue value = config.getValue(path);
        return value.valueType() != ConfigValueType.STRING || !((String) value.unwrapped()).isEmpty();
    }

    /** Has the path or null; false when a parent is not an object (reported by the unknown-key check). */
    private static boolean has(Config config, String path) {
        try {
            return config.hasPathOrNull(path);
        } catch (com.typesafe.config.ConfigException e) {
            return false;
        }
    }
}

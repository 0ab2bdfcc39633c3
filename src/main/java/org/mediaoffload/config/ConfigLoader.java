package org.mediaoffload.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Loads, merges and validates the configuration. Merge order, later wins: reference.conf,
 * {@code --homeserver-config}, {@code --database-yaml}, {@code --env-file}, {@code --config}, process environment.
 * Every problem is collected and reported at once in a {@link ConfigException}.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * @param environment the process environment ({@code System.getenv()}); used for the AWS_* variables, bare
     *                    {@code VAR} lines of the env file and {@code ${?VAR}} substitutions in the HOCON file
     * @throws ConfigException listing every problem found
     */
    public static OffloadConfig load(ConfigSources sources, Map<String, String> environment) {
        Problems problems = new Problems();
        Merged merged = merge(sources, environment, problems);
        if (problems.anyUnreadable()) {
            problems.throwIfAny();
        }
        merged.unknownKeys().check(merged.config(), problems);
        OffloadConfig config = build(new SettingsReader(merged.config(), problems), merged.dropInPaths(),
                sources.homeserverConfig(), problems);
        problems.throwIfAny();
        return config;
    }

    /**
     * Where each setting that is not a default came from ({@code offload.s3.bucket -> env file /x line 5 (BUCKET)}),
     * in key order. Names only the source, never the value, so secrets can be listed too. Call after {@link #load}
     * succeeded.
     */
    public static Map<String, String> origins(ConfigSources sources, Map<String, String> environment) {
        Config merged = merge(sources, environment, new Problems()).config();
        Config reference = reference();
        Map<String, String> origins = new TreeMap<>();
        if (!merged.hasPath("offload")) {
            return origins;
        }
        for (Map.Entry<String, ConfigValue> e : merged.getConfig("offload").entrySet()) {
            String path = "offload." + e.getKey();
            String origin = e.getValue().origin().description();
            boolean isDefault = reference.hasPath(path)
                    && reference.getValue(path).origin().description().equals(origin);
            if (!isDefault) {
                origins.put(path, Origins.describe(e.getValue().origin()));
            }
        }
        return origins;
    }

    /** The layers stacked, later over earlier; problems reading them are collected, not thrown. */
    private static Merged merge(ConfigSources sources, Map<String, String> environment, Problems problems) {
        Config reference = reference();
        Optional<Config> file = sources.config().flatMap(path -> HoconFile.read(path, reference, environment, problems));
        UnknownKeys unknownKeys = new UnknownKeys(reference);
        file.ifPresent(config -> unknownKeys.checkTopLevel(config, problems));
        // The path map must be known before the drop-in files are read; only our own file can set it.
        PathMap pathMap = PathMap.read(file.orElse(ConfigFactory.empty()), problems);

        ConfigLayers layers = new ConfigLayers(reference);
        List<DropInLayer.PathValue> dropInPaths = new ArrayList<>();
        sources.homeserverConfig().ifPresent(path -> {
            DropInLayer layer = new DropInLayer(pathMap);
            new HomeserverConfigSource(path).readInto(layer, problems);
            addDropIn(layers, layer, dropInPaths);
        });
        sources.databaseYaml().ifPresent(path -> {
            DropInLayer layer = new DropInLayer(pathMap);
            new DatabaseYamlSource(path).readInto(layer, problems);
            addDropIn(layers, layer, dropInPaths);
        });
        sources.envFile().ifPresent(path -> {
            DropInLayer layer = new DropInLayer(pathMap);
            new EnvFileSource(path, environment).readInto(layer, problems);
            addDropIn(layers, layer, dropInPaths);
        });
        file.ifPresent(layers::add);
        Config fromFiles = layers.merged();
        DropInLayer processEnvironment = new DropInLayer(PathMap.empty());
        new ProcessEnvironmentSource(environment).readInto(processEnvironment);
        layers.add(processEnvironment.config());
        CaBundleOverride.warnIfDifferent(fromFiles, environment, problems);
        return new Merged(layers.merged(), dropInPaths, unknownKeys);
    }

    private record Merged(Config config, List<DropInLayer.PathValue> dropInPaths, UnknownKeys unknownKeys) {}

    /**
     * The Synapse S3 provider's settings from {@code --homeserver-config}, for {@link ProviderCompatibility}; empty
     * when no homeserver.yaml is given or it lists no S3 provider.
     *
     * @throws ConfigException when the homeserver.yaml cannot be read or its provider entry is unusable
     */
    public static Optional<ProviderSettings> providerSettings(ConfigSources sources) {
        if (sources.homeserverConfig().isEmpty()) {
            return Optional.empty();
        }
        Problems problems = new Problems();
        Optional<ProviderSettings> settings = YamlDocument.read(HomeserverConfigSource.ROLE,
                        sources.homeserverConfig().get(), problems)
                .flatMap(document -> ProviderSettingsReader.read(document, problems));
        problems.throwIfAny();
        return settings;
    }

    /** A multi-line summary of the effective configuration for the start-up log; secrets are masked. */
    public static String describe(OffloadConfig config) {
        return ConfigDescription.of(config);
    }

    private static void addDropIn(ConfigLayers layers, DropInLayer layer, List<DropInLayer.PathValue> dropInPaths) {
        layers.addDropIn(layer.config());
        dropInPaths.addAll(layer.paths());
    }

    private static OffloadConfig build(SettingsReader reader, List<DropInLayer.PathValue> dropInPaths,
            Optional<Path> homeserverConfig, Problems problems) {
        SecretReader secrets = new SecretReader(reader);
        HostPathChecks paths = new HostPathChecks(reader, dropInPaths);
        Path mediaStore = paths.mediaStore().orElse(Path.of(""));
        DatabaseConfig database = DatabaseSettings.read(reader, secrets);
        paths.sqliteDatabase(database);
        paths.socketDirectory(database);
        SelectionConfig selection = SelectionSettings.read(reader);
        S3Config s3 = S3Settings.read(reader, secrets);
        ScheduleConfig schedule = ScheduleSettings.read(reader);
        HttpConfig http = ListenerSettings.http(reader, secrets);
        MetricsConfig metrics = ListenerSettings.metrics(reader, http);
        Optional<Path> stateDir = reader.optionalPath("offload.state-dir");
        if (stateDir.isEmpty()) {
            reader.missing("offload.state-dir", "is required: where the journal and the lock live");
        }
        return new OffloadConfig(
                mediaStore,
                database,
                selection,
                s3,
                reader.bool("offload.delete-local", true),
                stateDir.orElse(Path.of("")),
                notNegative(reader, "offload.max-run-duration", Duration.ZERO),
                positive(reader, "offload.journal-retention", Duration.ofDays(90)),
                schedule,
                http,
                metrics,
                notNegative(reader, "offload.shutdown-grace", Duration.ofSeconds(30)),
                homeserverConfig,
                problems.warnings(),
                AuditSettingsReader.read(reader));
    }

    private static Duration notNegative(SettingsReader reader, String path, Duration fallback) {
        Duration value = reader.duration(path, fallback);
        if (value.isNegative()) {
            reader.error(path, "must not be negative");
        }
        return value;
    }

    private static Duration positive(SettingsReader reader, String path, Duration fallback) {
        Duration value = reader.duration(path, fallback);
        if (value.isNegative() || value.isZero()) {
            reader.error(path, "must be longer than zero");
        }
        return value;
    }

    static Config reference() {
        // Only our reference.conf (and any a library ships), never system properties: config is immutable input.
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                        ConfigParseOptions.defaults().setAllowMissing(false))
                .resolve();
    }
}

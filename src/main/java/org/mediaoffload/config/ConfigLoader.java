package org.mediaoffload.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Loads, merges and validates the configuration, reading each file once. Merge order, later wins: reference.conf,
 * {@code --homeserver-config}, {@code --database-yaml}, {@code --env-file}, {@code --config}, process environment
 * ({@link Layers}). Every problem is collected and reported at once in a {@link ConfigException}.
 */
public final class ConfigLoader {
    private static final Config REFERENCE = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(),
            "reference.conf", ConfigParseOptions.defaults().setAllowMissing(false)).resolve();

    private ConfigLoader() {}

    /**
     * The configuration, where each setting came from, and the Synapse S3 provider's entry of homeserver.yaml.
     *
     * @param origins  each setting that is not a default and its source ({@code offload.s3.bucket -> env file /x line
     *                 5 (BUCKET)}), in key order; names only the source, never the value
     * @param provider empty when no homeserver.yaml is given or it lists no S3 provider
     */
    public record Loaded(OffloadConfig config, Map<String, String> origins, Optional<ProviderSettings> provider) {}

    /**
     * @param environment the process environment ({@code System.getenv()}); used for the AWS_* variables, bare
     *                    {@code VAR} lines of the env file and {@code ${?VAR}} substitutions in the HOCON file
     * @throws ConfigException listing every problem found
     */
    public static Loaded read(ConfigSources sources, Map<String, String> environment) {
        Problems problems = new Problems();
        Optional<Config> file = sources.config().flatMap(path -> HoconFile.read(path, REFERENCE, environment, problems));
        UnknownKeys unknownKeys = new UnknownKeys(REFERENCE);
        file.ifPresent(config -> unknownKeys.checkTopLevel(config, problems));
        // The path map must be known before the drop-in files are read; only our own file can set it.
        PathMap pathMap = PathMap.read(file.orElse(ConfigFactory.empty()), problems);

        Layers layers = new Layers(REFERENCE);
        Optional<SynapseYaml> homeserver = sources.homeserverConfig()
                .flatMap(path -> SynapseYaml.read(SynapseYaml.HOMESERVER, path, problems));
        homeserver.ifPresent(yaml -> layers.add(dropIn(pathMap, layer -> yaml.readHomeserverYaml(layer, problems))));
        sources.databaseYaml().flatMap(path -> SynapseYaml.read("database.yaml", path, problems))
                .ifPresent(yaml -> layers.add(dropIn(pathMap, layer -> yaml.readDatabaseYaml(layer, problems))));
        sources.envFile().ifPresent(path ->
                layers.add(dropIn(pathMap, layer -> EnvFile.read(path, environment, layer, problems))));
        file.ifPresent(layers::add);
        EnvFile.warnIfCaBundleReplaced(layers.merged(), environment, problems);
        layers.add(dropIn(PathMap.empty(), layer -> EnvFile.readProcessEnvironment(environment, layer)).config());
        if (problems.anyUnreadable()) {
            problems.throwIfAny();
        }
        Config merged = layers.merged();
        unknownKeys.check(merged, problems);
        OffloadConfig config = OffloadSettings.offload(new Settings(merged, REFERENCE, problems, layers.dropInPaths()),
                sources.homeserverConfig());
        Optional<ProviderSettings> provider = homeserver.flatMap(yaml -> yaml.provider(problems));
        problems.throwIfAny();
        return new Loaded(config, origins(merged), provider);
    }

    /** @throws ConfigException listing every problem found */
    public static OffloadConfig load(ConfigSources sources, Map<String, String> environment) {
        return read(sources, environment).config();
    }

    /** Where each setting that is not a default came from; see {@link Loaded#origins()}. */
    public static Map<String, String> origins(ConfigSources sources, Map<String, String> environment) {
        return read(sources, environment).origins();
    }

    /**
     * The Synapse S3 provider's settings from {@code --homeserver-config} alone, read afresh (before each run, as
     * the file may have changed); empty when no homeserver.yaml is given or it lists no S3 provider.
     *
     * @throws ConfigException when the homeserver.yaml cannot be read or its provider entry is unusable
     */
    public static Optional<ProviderSettings> providerSettings(ConfigSources sources) {
        Problems problems = new Problems();
        Optional<ProviderSettings> settings = sources.homeserverConfig()
                .flatMap(path -> SynapseYaml.read(SynapseYaml.HOMESERVER, path, problems))
                .flatMap(yaml -> yaml.provider(problems));
        problems.throwIfAny();
        return settings;
    }

    /** A multi-line summary of the effective configuration for the start-up log; secrets are masked. */
    public static String describe(OffloadConfig config) {
        return ConfigDescription.of(config);
    }

    /** reference.conf's settings alone (required ones left unset), for defaults of records such as the audit's. */
    static OffloadConfig defaults() {
        return OffloadSettings.offload(new Settings(REFERENCE, REFERENCE, new Problems(), List.of()), Optional.empty());
    }

    static Config reference() {
        return REFERENCE;
    }

    private static Layers.DropIn dropIn(PathMap pathMap, java.util.function.Consumer<Layers.DropIn> fill) {
        Layers.DropIn layer = new Layers.DropIn(pathMap);
        fill.accept(layer);
        return layer;
    }

    private static Map<String, String> origins(Config merged) {
        Map<String, String> origins = new TreeMap<>();
        if (!merged.hasPath("offload")) {
            return origins;
        }
        for (Map.Entry<String, ConfigValue> e : merged.getConfig("offload").entrySet()) {
            String path = "offload." + e.getKey();
            String origin = e.getValue().origin().description();
            boolean isDefault = REFERENCE.hasPath(path) && REFERENCE.getValue(path).origin().description().equals(origin);
            if (!isDefault) {
                origins.put(path, Problems.origin(e.getValue().origin()));
            }
        }
        return origins;
    }
}

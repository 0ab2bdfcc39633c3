package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files named on the command line. All are optional: reference.conf alone plus drop-in files is a valid setup.
 *
 * @param config           our HOCON file ({@code --config})
 * @param envFile          the playbook's Docker env file ({@code --env-file})
 * @param databaseYaml     s3_media_upload's database.yaml ({@code --database-yaml})
 * @param homeserverConfig Synapse's homeserver.yaml ({@code --homeserver-config})
 */
public record ConfigSources(
        Optional<Path> config, Optional<Path> envFile, Optional<Path> databaseYaml, Optional<Path> homeserverConfig) {

    public ConfigSources {
        requireNonNull(config, "config is null");
        requireNonNull(envFile, "envFile is null");
        requireNonNull(databaseYaml, "databaseYaml is null");
        requireNonNull(homeserverConfig, "homeserverConfig is null");
    }

    /** No files at all: reference.conf and the process environment only. */
    public static ConfigSources none() {
        return new ConfigSources(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ConfigSources withConfig(Path path) {
        return new ConfigSources(Optional.of(path), envFile, databaseYaml, homeserverConfig);
    }

    public ConfigSources withEnvFile(Path path) {
        return new ConfigSources(config, Optional.of(path), databaseYaml, homeserverConfig);
    }

    public ConfigSources withDatabaseYaml(Path path) {
        return new ConfigSources(config, envFile, Optional.of(path), homeserverConfig);
    }

    public ConfigSources withHomeserverConfig(Path path) {
        return new ConfigSources(config, envFile, databaseYaml, Optional.of(path));
    }
}

package org.mediaoffload.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.mediaoffload.config.ConfigSources;
import picocli.CommandLine.Option;

/** The configuration sources every command accepts; later ones win (see reference.conf). */
final class SourceOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration file (offload { ... }).")
    Path config;

    @Option(names = "--env-file", paramLabel = "FILE",
            description = "The playbook's s3-storage-provider env file (Docker env-file format).")
    Path envFile;

    @Option(names = "--database-yaml", paramLabel = "FILE", description = "s3_media_upload's database.yaml.")
    Path databaseYaml;

    @Option(names = "--homeserver-config", paramLabel = "FILE",
            description = "Synapse's homeserver.yaml (database, media_store_path, S3 provider settings).")
    Path homeserverConfig;

    ConfigSources sources() {
        return new ConfigSources(Optional.ofNullable(config), Optional.ofNullable(envFile),
                Optional.ofNullable(databaseYaml), Optional.ofNullable(homeserverConfig));
    }
}

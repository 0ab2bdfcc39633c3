package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example files in config/ use only valid settings, and the playbook example maps the playbook's paths. */
class ShippedExamplesTest {
    @TempDir
    Path dir;

    @Test
    void examplesUseOnlyKnownSettings() {
        for (String example : new String[] {"config/offload.conf", "config/playbook-host.conf"}) {
            Config parsed = ConfigFactory.parseFile(Path.of(example).toFile()).resolve();
            Problems problems = new Problems();
            UnknownKeys keys = new UnknownKeys(ConfigLoader.reference());
            keys.checkTopLevel(parsed, problems);
            keys.check(parsed.withFallback(ConfigLoader.reference()), problems);
            assertThatCode(problems::throwIfAny).as(example).doesNotThrowAnyException();
        }
    }

    @Test
    void playbookExampleMapsTheContainerPaths() {
        Problems problems = new Problems();
        PathMap map = PathMap.read(ConfigFactory.parseFile(Path.of("config/playbook-host.conf").toFile()), problems);
        assertThatCode(problems::throwIfAny).doesNotThrowAnyException();
        assertThat(map.map("/matrix-media-store-parent/media-store")).contains("/matrix/synapse/storage/media-store");
        assertThat(map.map("/run-postgres")).contains("/matrix/postgres/run");
    }

    /** The playbook host, rebuilt under a temporary root: same files, same container paths. */
    @Test
    void loadsAPlaybookHostsFiles() {
        ConfigFiles files = new ConfigFiles(dir);
        Path storage = files.directory("matrix/synapse/storage");
        files.directory("matrix/synapse/storage/media-store");
        Path postgresRun = files.directory("matrix/postgres/run");
        Path env = files.write("matrix/synapse/ext/s3-storage-provider/env", """
                AWS_ACCESS_KEY_ID=AKIAEXAMPLE
                AWS_SECRET_ACCESS_KEY=secretEXAMPLE
                AWS_DEFAULT_REGION=eu-central-1
                ENDPOINT=https://s3.eu-central-1.wasabisys.com
                BUCKET=matrix-media
                STORAGE_CLASS=STANDARD
                MEDIA_PATH=/matrix-media-store-parent/media-store
                UPDATE_DB_DURATION=0d
                """);
        Path databaseYaml = files.write("matrix/synapse/ext/s3-storage-provider/data/database.yaml", """
                user: "synapse"
                password: "pg-password"
                database: "synapse"
                host: "/run-postgres"
                port: 5432
                """);
        String example = readExample().replace("\"/matrix/synapse/storage\"", "\"" + storage + "\"")
                .replace("\"/matrix/postgres/run\"", "\"" + postgresRun + "\"");
        Path conf = files.write("playbook-host.conf", example);

        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withConfig(conf).withEnvFile(env)
                .withDatabaseYaml(databaseYaml), Map.of());

        assertThat(config.mediaStorePath()).isEqualTo(storage.resolve("media-store"));
        assertThat(config.database().host()).contains(postgresRun.toString());
        assertThat(config.database().usesUnixSocket()).isTrue();
        assertThat(config.s3().bucket()).isEqualTo("matrix-media");
        assertThat(config.s3().pathStyle()).isTrue();
        assertThat(config.selection().minAge()).isZero();
        assertThat(config.warnings()).isEmpty();
    }

    private static String readExample() {
        try {
            return Files.readString(Path.of("config/playbook-host.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

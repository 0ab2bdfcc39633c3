package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseYamlSourceTest {
    @TempDir
    Path dir;

    /** The playbook's database.yaml since 2026-03: a socket directory as host, as the migrate container saw it. */
    @Test
    void flatPlaybookFileWithSocketHostMappedToTheHost() {
        ConfigFiles files = new ConfigFiles(dir);
        Path socketDir = files.directory("matrix/postgres/run");
        Path yaml = files.write("database.yaml", """
                user: "synapse"
                password: "s3cr3t-pg-password"
                database: "synapse"
                host: "/run-postgres"
                port: 5432
                """);
        Path conf = files.conf(files.required().replace("offload.database { host = db.example.org, name = synapse }\n", "")
                + "offload.path-map { \"/run-postgres\" = \"" + socketDir + "\" }\n");

        OffloadConfig config = ConfigLoader.load(
                ConfigSources.none().withDatabaseYaml(yaml).withConfig(conf), Map.of());

        DatabaseConfig db = config.database();
        assertThat(db.type()).isEqualTo(DatabaseType.POSTGRES);
        assertThat(db.host()).contains(socketDir.toString());
        assertThat(db.usesUnixSocket()).isTrue();
        assertThat(db.port()).isEqualTo(5432);
        assertThat(db.name()).contains("synapse");
        assertThat(db.user()).contains("synapse");
        assertThat(db.password()).contains(new Secret("s3cr3t-pg-password"));
        assertThat(db.libpqOptions()).isEmpty();
    }

    @Test
    void unmappedSocketDirectoryNamesTheFileTheValueAndPathMap() {
        ConfigFiles files = new ConfigFiles(dir);
        Path yaml = files.write("database.yaml", "user: synapse\ndatabase: synapse\nhost: /run-postgres\n");
        Path conf = files.conf("offload.media-store-path = \"" + files.mediaStore() + "\"\noffload.s3.bucket = b\n");

        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withDatabaseYaml(yaml).withConfig(conf), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("offload.database.host")
                .hasMessageContaining("database.yaml " + yaml + " line 3 (host)")
                .hasMessageContaining("/run-postgres")
                .hasMessageContaining("offload.path-map");
    }

    @Test
    void nestedPostgresMappingWithDbnameAndLibpqOptions() {
        ConfigFiles files = new ConfigFiles(dir);
        Path yaml = files.write("database.yaml", """
                postgres:
                  user: synapse
                  password: 12345
                  dbname: synapse_db
                  host: db.internal
                  port: "6432"
                  sslmode: verify-full
                  keepalives_idle: 30
                """);
        Path conf = files.conf("offload.media-store-path = \"" + files.mediaStore() + "\"\noffload.s3.bucket = b\n");

        DatabaseConfig db = ConfigLoader.load(ConfigSources.none().withDatabaseYaml(yaml).withConfig(conf), Map.of())
                .database();

        assertThat(db.host()).contains("db.internal");
        assertThat(db.port()).isEqualTo(6432);
        assertThat(db.name()).contains("synapse_db");
        assertThat(db.password()).contains(new Secret("12345"));
        assertThat(db.libpqOptions()).isEqualTo(Map.of("sslmode", "verify-full", "keepalives_idle", "30"));
    }

    @Test
    void sqliteMapping() {
        ConfigFiles files = new ConfigFiles(dir);
        Path sqlite = files.write("data/homeserver.db", "");
        Path yaml = files.write("database.yaml", "sqlite:\n  database: " + sqlite + "\n");
        Path conf = files.conf("offload.media-store-path = \"" + files.mediaStore() + "\"\noffload.s3.bucket = b\n");

        DatabaseConfig db = ConfigLoader.load(ConfigSources.none().withDatabaseYaml(yaml).withConfig(conf), Map.of())
                .database();

        assertThat(db.type()).isEqualTo(DatabaseType.SQLITE);
        assertThat(db.sqlitePath()).contains(sqlite);
    }

    @Test
    void missingSqliteFileIsNamed() {
        ConfigFiles files = new ConfigFiles(dir);
        Path yaml = files.write("database.yaml", "sqlite:\n  database: /data/homeserver.db\n");
        Path conf = files.conf("offload.media-store-path = \"" + files.mediaStore() + "\"\noffload.s3.bucket = b\n");

        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withDatabaseYaml(yaml).withConfig(conf), Map.of()))
                .hasMessageContaining("offload.database.sqlite-path (database.yaml " + yaml + " line 2 (sqlite.database))"
                        + " = /data/homeserver.db does not exist")
                .hasMessageContaining("offload.path-map");
    }

    @Test
    void databaseAndDbnameTogetherAreRefusedAsPsycopg2Does() {
        ConfigFiles files = new ConfigFiles(dir);
        Path yaml = files.write("database.yaml", "host: db\ndatabase: a\ndbname: b\n");
        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withDatabaseYaml(yaml), Map.of()))
                .hasMessageContaining("database.yaml " + yaml + " line 3 (dbname): both database and dbname");
    }

    @Test
    void invalidYamlNamesLineButNotTheText() {
        ConfigFiles files = new ConfigFiles(dir);
        Path yaml = files.write("database.yaml", "user: synapse\npassword: \"unclosed-secret-value\n");
        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withDatabaseYaml(yaml), Map.of()))
                .hasMessageContaining("database.yaml " + yaml)
                .hasMessageContaining("is not valid YAML")
                .message().doesNotContain("unclosed-secret-value");
    }

    @Test
    void aListIsNotADatabaseFile() {
        ConfigFiles files = new ConfigFiles(dir);
        Path yaml = files.write("database.yaml", "- user\n- password\n");
        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withDatabaseYaml(yaml), Map.of()))
                .hasMessageContaining("database.yaml " + yaml + " must be a YAML mapping");
    }
}

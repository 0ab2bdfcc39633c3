package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeserverConfigSourceTest {
    @TempDir
    Path dir;

    private OffloadConfig load(ConfigFiles files, Path homeserver) {
        Path conf = files.conf("offload.s3.bucket = b\n");
        return ConfigLoader.load(ConfigSources.none().withHomeserverConfig(homeserver).withConfig(conf), Map.of());
    }

    @Test
    void psycopg2DatabaseWithPoolOptionsDroppedAndMediaStorePath() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", """
                server_name: example.org
                media_store_path: %s
                database:
                  name: psycopg2
                  txn_limit: 10000
                  args:
                    user: synapse_user
                    password: hs-password
                    dbname: synapse
                    host: localhost
                    port: 5433
                    cp_min: 5
                    cp_max: 10
                    sslmode: prefer
                """.formatted(files.mediaStore()));

        OffloadConfig config = load(files, homeserver);

        assertThat(config.mediaStorePath()).isEqualTo(files.mediaStore());
        DatabaseConfig db = config.database();
        assertThat(db.type()).isEqualTo(DatabaseType.POSTGRES);
        assertThat(db.user()).contains("synapse_user");
        assertThat(db.password()).contains(new Secret("hs-password"));
        assertThat(db.name()).contains("synapse");
        assertThat(db.host()).contains("localhost");
        assertThat(db.port()).isEqualTo(5433);
        assertThat(db.libpqOptions()).isEqualTo(Map.of("sslmode", "prefer"));
    }

    @Test
    void sqlite3Database() {
        ConfigFiles files = new ConfigFiles(dir);
        Path sqlite = files.write("homeserver.db", "");
        Path homeserver = files.write("homeserver.yaml", """
                media_store_path: "%s"
                database:
                  name: sqlite3
                  args:
                    database: %s
                """.formatted(files.mediaStore(), sqlite));

        DatabaseConfig db = load(files, homeserver).database();

        assertThat(db.type()).isEqualTo(DatabaseType.SQLITE);
        assertThat(db.sqlitePath()).contains(sqlite);
    }

    @Test
    void databasesFormUsesTheEntryHoldingMain() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", """
                media_store_path: %s
                databases:
                  state_db:
                    name: psycopg2
                    data_stores: [state]
                    args: { user: state_user, dbname: state, host: state-host }
                  main_db:
                    name: psycopg2
                    data_stores:
                      - main
                    args:
                      user: main_user
                      database: main
                      host: main-host
                      cp_reconnect: true
                """.formatted(files.mediaStore()));

        DatabaseConfig db = load(files, homeserver).database();

        assertThat(db.host()).contains("main-host");
        assertThat(db.name()).contains("main");
        assertThat(db.user()).contains("main_user");
        assertThat(db.libpqOptions()).isEmpty();
    }

    @Test
    void playbookContainerMediaPathIsMappedOrNamedWhenItDoesNotResolve() {
        ConfigFiles files = new ConfigFiles(dir);
        Path hostStorage = files.directory("storage");
        files.directory("storage/media-store");
        Path homeserver = files.write("homeserver.yaml", """
                media_store_path: "/matrix-media-store-parent/media-store"
                database: { name: psycopg2, args: { user: s, database: s, host: matrix-postgres } }
                """);

        Path mapped = files.conf("offload.s3.bucket = b\n"
                + "offload.path-map { \"/matrix-media-store-parent\" = \"" + hostStorage + "\" }\n");
        OffloadConfig config = ConfigLoader.load(
                ConfigSources.none().withHomeserverConfig(homeserver).withConfig(mapped), Map.of());
        assertThat(config.mediaStorePath()).isEqualTo(hostStorage.resolve("media-store"));

        assertThatThrownBy(() -> load(files, homeserver))
                .hasMessageContaining("offload.media-store-path (homeserver.yaml " + homeserver
                        + " line 1 (media_store_path)) = /matrix-media-store-parent/media-store does not exist")
                .hasMessageContaining("offload.path-map")
                .hasMessageContaining("/matrix/synapse/storage");
    }

    @Test
    void unknownEngineIsRefused() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", "database:\n  name: mysql\n  args: {}\n");
        assertThatThrownBy(() -> load(files, homeserver))
                .hasMessageContaining("homeserver.yaml " + homeserver + " line 2 (database.name)")
                .hasMessageContaining("psycopg2 or sqlite3");
    }

    @Test
    void readsTheS3ProviderEntry() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", """
                media_storage_providers:
                  - module: file_system
                    store_local: true
                    config: { directory: /backup }
                  - module: s3_storage_provider.S3StorageProviderBackend
                    store_local: yes
                    store_synchronous: false
                    config:
                      bucket: matrix-media
                      prefix: synapse/
                      region_name: eu-central-1
                      endpoint_url: https://s3.example.com
                      sse_customer_key: 0123456789abcdef0123456789abcdef
                      storage_class: STANDARD_IA
                      threadpool_size: 40
                """);

        Optional<ProviderSettings> provider =
                ConfigLoader.providerSettings(ConfigSources.none().withHomeserverConfig(homeserver));

        assertThat(provider).hasValueSatisfying(p -> {
            assertThat(p.source()).isEqualTo("homeserver.yaml " + homeserver + " line 5 (media_storage_providers[1])");
            assertThat(p.bucket()).isEqualTo("matrix-media");
            assertThat(p.prefix()).isEqualTo("synapse/");
            assertThat(p.regionName()).contains("eu-central-1");
            assertThat(p.endpointUrl()).contains("https://s3.example.com");
            assertThat(p.sseCustomerKey()).contains(new Secret("0123456789abcdef0123456789abcdef"));
            assertThat(p.sseCustomerAlgorithm()).isEqualTo("AES256");
            assertThat(p.storageClass()).isEqualTo("STANDARD_IA");
            assertThat(p.storeLocal()).isTrue();
            assertThat(p.storeRemote()).as("Synapse's default when the flag is missing").isFalse();
        });
    }

    @Test
    void noProviderOrNoHomeserverYamlGivesEmpty() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", "server_name: example.org\n");
        assertThat(ConfigLoader.providerSettings(ConfigSources.none().withHomeserverConfig(homeserver))).isEmpty();
        assertThat(ConfigLoader.providerSettings(ConfigSources.none())).isEmpty();
    }

    @Test
    void providerWithoutBucketIsAnError() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", """
                media_storage_providers:
                  - module: s3_storage_provider.S3StorageProviderBackend
                    config: { prefix: x/ }
                """);
        assertThatThrownBy(() -> ConfigLoader.providerSettings(ConfigSources.none().withHomeserverConfig(homeserver)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("media_storage_providers[0].config.bucket");
    }

    /** The playbook renders the provider list as JSON inside homeserver.yaml. */
    @Test
    void readsThePlaybooksJsonProviderList() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", "media_store_path: \"/matrix-media-store-parent/media-store\"\n"
                + "media_storage_providers: [{\"config\": {\"bucket\": \"matrix-media\", \"endpoint_url\":"
                + " \"https://s3.example.com\", \"region_name\": \"eu-central-1\", \"storage_class\": \"STANDARD\","
                + " \"threadpool_size\": 40}, \"module\": \"s3_storage_provider.S3StorageProviderBackend\","
                + " \"store_local\": true, \"store_remote\": true, \"store_synchronous\": false}]\n");

        assertThat(ConfigLoader.providerSettings(ConfigSources.none().withHomeserverConfig(homeserver)))
                .hasValueSatisfying(p -> {
                    assertThat(p.bucket()).isEqualTo("matrix-media");
                    assertThat(p.prefix()).isEmpty();
                    assertThat(p.sseCustomerKey()).isEmpty();
                    assertThat(p.storeLocal()).isTrue();
                    assertThat(p.storeRemote()).isTrue();
                });
    }
}

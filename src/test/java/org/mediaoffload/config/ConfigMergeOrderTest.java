package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reference.conf < homeserver.yaml < database.yaml < env file < --config < process environment. */
class ConfigMergeOrderTest {
    @TempDir
    Path dir;

    @Test
    void laterSourcesWin() {
        ConfigFiles files = new ConfigFiles(dir);
        Path fromHomeserver = files.directory("hs-media");
        Path fromEnvFile = files.directory("env-media");
        Path homeserver = files.write("homeserver.yaml", """
                media_store_path: %s
                database:
                  name: psycopg2
                  args: { user: hs_user, password: hs_pw, dbname: hs_db, host: hs-host, sslmode: require }
                """.formatted(fromHomeserver));
        Path databaseYaml = files.write("database.yaml", "user: yaml_user\npassword: yaml_pw\ndatabase: yaml_db\nhost: yaml-host\n");
        Path env = files.write("env", "MEDIA_PATH=" + fromEnvFile + "\nBUCKET=env-bucket\nPREFIX=env/\n"
                + "AWS_DEFAULT_REGION=env-region\nAWS_ACCESS_KEY_ID=env-key\nAWS_SECRET_ACCESS_KEY=env-secret\n");
        Path conf = files.conf("offload.s3.prefix = conf/\noffload.s3.region = conf-region\noffload.database.user = conf_user\n");
        ConfigSources sources = new ConfigSources(
                java.util.Optional.of(conf), java.util.Optional.of(env), java.util.Optional.of(databaseYaml),
                java.util.Optional.of(homeserver));

        OffloadConfig config = ConfigLoader.load(sources, Map.of("AWS_DEFAULT_REGION", "process-region",
                "AWS_SECRET_ACCESS_KEY", "process-secret"));

        assertThat(config.mediaStorePath()).as("env file over homeserver.yaml").isEqualTo(fromEnvFile);
        assertThat(config.warnings()).as("Synapse writes elsewhere").anySatisfy(w -> assertThat(w)
                .contains("offload.media-store-path").contains(fromEnvFile.toString())
                .contains("media_store_path " + fromHomeserver).contains("is another directory"));
        DatabaseConfig db = config.database();
        assertThat(db.host()).as("database.yaml over homeserver.yaml").contains("yaml-host");
        assertThat(db.name()).contains("yaml_db");
        assertThat(db.password()).contains(new Secret("yaml_pw"));
        assertThat(db.libpqOptions()).as("database.yaml replaces the whole connection, as upstream").isEmpty();
        assertThat(db.user()).as("--config over database.yaml").contains("conf_user");
        assertThat(config.s3().bucket()).isEqualTo("env-bucket");
        assertThat(config.s3().prefix()).as("--config over env file").isEqualTo("conf/");
        assertThat(config.s3().region()).as("process environment over --config").isEqualTo("process-region");
        assertThat(config.s3().accessKeyId()).contains(new Secret("env-key"));
        assertThat(config.s3().secretAccessKey()).as("process environment over env file").contains(new Secret("process-secret"));
    }

    @Test
    void theSameStoreUnderBothNamesIsNoWarning() {
        ConfigFiles files = new ConfigFiles(dir);
        Path store = files.mediaStore();
        Path homeserver = files.write("homeserver.yaml", "media_store_path: " + store + "\n");
        Path conf = files.conf(files.required() + "offload.media-store-path = \"" + store.resolve("../media-store")
                + "\"\n");

        OffloadConfig config = ConfigLoader.load(
                ConfigSources.none().withConfig(conf).withHomeserverConfig(homeserver), Map.of());

        assertThat(config.mediaStorePath()).isNotEqualTo(store);
        assertThat(config.warnings()).noneMatch(w -> w.contains("media_store_path"));
    }

    @Test
    void awsCaBundleKeepsItsPrecedenceButAWarningNamesBothValuesAndTheOriginsSayWhoSetWhat() {
        ConfigFiles files = new ConfigFiles(dir);
        Path configured = files.write("configured-ca.pem", "pem");
        Path hostWide = files.write("host-wide-ca.pem", "pem");
        Path env = files.write("env", "BUCKET=env-bucket\n");
        Path conf = files.conf(files.required().replace("offload.s3.bucket = media-bucket\n", "")
                + "offload.s3.ca-bundle = \"" + configured + "\"\n");
        ConfigSources sources = ConfigSources.none().withEnvFile(env).withConfig(conf);
        Map<String, String> environment = Map.of("AWS_CA_BUNDLE", hostWide.toString());

        OffloadConfig config = ConfigLoader.load(sources, environment);

        assertThat(config.s3().caBundle()).as("documented: the process environment wins").contains(hostWide);
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("AWS_CA_BUNDLE=" + hostWide)
                .contains("offload.s3.ca-bundle = " + configured).contains("offload.conf line")
                .contains("UnsetEnvironment=AWS_CA_BUNDLE"));
        Map<String, String> origins = ConfigLoader.origins(sources, environment);
        assertThat(origins).containsEntry("offload.s3.ca-bundle", "process environment (AWS_CA_BUNDLE)")
                .hasEntrySatisfying("offload.s3.bucket", o -> assertThat(o).startsWith("env file " + env))
                .hasEntrySatisfying("offload.media-store-path", o -> assertThat(o).startsWith("file " + conf))
                .doesNotContainKey("offload.s3.concurrency");

        OffloadConfig same = ConfigLoader.load(sources, Map.of("AWS_CA_BUNDLE", configured.toString()));
        assertThat(same.warnings()).noneSatisfy(w -> assertThat(w).contains("AWS_CA_BUNDLE"));
    }

    @Test
    void aLaterSecretFileReplacesAnEarlierValue() {
        ConfigFiles files = new ConfigFiles(dir);
        Path secretFile = files.write("credentials/s3-secret", "from-credential-file\n");
        Path env = files.write("env", "AWS_ACCESS_KEY_ID=env-key\nAWS_SECRET_ACCESS_KEY=env-secret\n");
        Path conf = files.conf(files.required() + "offload.s3.secret-access-key-file = \"" + secretFile + "\"\n");

        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withEnvFile(env).withConfig(conf), Map.of());

        assertThat(config.s3().secretAccessKey()).contains(new Secret("from-credential-file"));
    }

    @Test
    void aJdbcUrlReplacesHostAndNameFromDropIns() {
        ConfigFiles files = new ConfigFiles(dir);
        Path databaseYaml = files.write("database.yaml", "user: u\ndatabase: d\nhost: h\n");
        Path conf = files.conf("offload.media-store-path = \"" + files.mediaStore() + "\"\noffload.s3.bucket = b\n"
                + "offload.database.url = \"jdbc:postgresql://other/db\"\n");

        DatabaseConfig db = ConfigLoader.load(ConfigSources.none().withDatabaseYaml(databaseYaml).withConfig(conf),
                Map.of()).database();

        assertThat(db.url()).contains("jdbc:postgresql://other/db");
        assertThat(db.host()).isEmpty();
        assertThat(db.name()).isEmpty();
        assertThat(db.user()).contains("u");
    }

    @Test
    void processEnvironmentSuppliesAwsSettingsAsTheCliReadsThem() {
        ConfigFiles files = new ConfigFiles(dir);
        Path ca = files.write("ca.pem", "pem");
        Path conf = files.conf(files.required());
        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withConfig(conf), Map.of(
                "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s", "AWS_SESSION_TOKEN", "t",
                "AWS_DEFAULT_REGION", "default-region", "AWS_REGION", "region-wins", "AWS_CA_BUNDLE", ca.toString()));

        assertThat(config.s3().accessKeyId()).contains(new Secret("k"));
        assertThat(config.s3().secretAccessKey()).contains(new Secret("s"));
        assertThat(config.s3().sessionToken()).contains(new Secret("t"));
        assertThat(config.s3().region()).isEqualTo("region-wins");
        assertThat(config.s3().caBundle()).contains(ca);
    }

    @Test
    void emptyProcessEnvironmentValuesAreUnset() {
        ConfigFiles files = new ConfigFiles(dir);
        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withConfig(files.conf(files.required())),
                Map.of("AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", "", "AWS_DEFAULT_REGION", ""));
        assertThat(config.s3().accessKeyId()).isEmpty();
        assertThat(config.s3().region()).isEqualTo("us-east-1");
    }
}

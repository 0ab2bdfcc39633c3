package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileSourceTest {
    private static final String SSE_KEY = "k9Jw2VQ8sXb4LmN7pR1tY6uZ3aD5fG0h";

    @TempDir
    Path dir;

    /** What matrix-docker-ansible-deploy writes to /matrix/synapse/ext/s3-storage-provider/env. */
    @Test
    void readsThePlaybooksEnvFile() {
        ConfigFiles files = new ConfigFiles(dir);
        Path hostStorage = files.directory("matrix/synapse/storage");
        files.directory("matrix/synapse/storage/media-store");
        Path env = files.write("env", """
                AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
                AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
                AWS_DEFAULT_REGION=eu-central-1
                ENDPOINT=https://s3.eu-central-1.amazonaws.com
                BUCKET=matrix-media
                PREFIX=synapse/
                SSE_CUSTOMER_KEY=%s
                SSE_CUSTOMER_ALGO=AES256
                STORAGE_CLASS=STANDARD_IA
                MEDIA_PATH=/matrix-media-store-parent/media-store
                UPDATE_DB_DURATION=30d
                """.formatted(SSE_KEY));
        Path conf = files.conf("offload.path-map { \"/matrix-media-store-parent\" = \"" + hostStorage + "\" }\n"
                + "offload.database { host = db, name = synapse }\n");

        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withEnvFile(env).withConfig(conf), Map.of());

        assertThat(config.mediaStorePath()).isEqualTo(hostStorage.resolve("media-store"));
        assertThat(config.selection().minAge()).isEqualTo(Duration.ofDays(30));
        S3Config s3 = config.s3();
        assertThat(s3.accessKeyId()).contains(new Secret("AKIAIOSFODNN7EXAMPLE"));
        assertThat(s3.secretAccessKey()).contains(new Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assertThat(s3.region()).isEqualTo("eu-central-1");
        assertThat(s3.endpoint()).contains(URI.create("https://s3.eu-central-1.amazonaws.com"));
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.bucket()).isEqualTo("matrix-media");
        assertThat(s3.prefix()).isEqualTo("synapse/");
        assertThat(s3.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(s3.sseCustomerKey()).contains(SseCustomerKey.fromConfiguredString(SSE_KEY, "AES256"));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void followsDockerEnvFileRules() {
        ConfigFiles files = new ConfigFiles(dir);
        Path env = files.write("env", "\uFEFF# a comment\n"
                + "\n"
                + "   # an indented comment\n"
                + "  BUCKET=bucket=with=equals \n"          // leading blanks dropped, the rest is literal
                + "PREFIX=\"quoted/\"\r\n"                 // quotes kept, CR of CRLF dropped
                + "AWS_DEFAULT_REGION\n"                   // bare name: from the process environment
                + "AWS_SESSION_TOKEN\n"                    // bare name not in the environment: unset
                + "SOMETHING_ELSE=ignored\n"
                + "ENDPOINT=\n"                            // empty counts as unset
                + "MEDIA_PATH=" + files.mediaStore() + "\n");
        Path conf = files.conf("offload.database { host = db, name = synapse }\n");

        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withEnvFile(env).withConfig(conf),
                Map.of("AWS_DEFAULT_REGION", "ap-south-1"));

        assertThat(config.s3().bucket()).isEqualTo("bucket=with=equals ");
        assertThat(config.s3().prefix()).isEqualTo("\"quoted/\"");
        assertThat(config.s3().region()).isEqualTo("ap-south-1");
        assertThat(config.s3().sessionToken()).isEmpty();
        assertThat(config.s3().endpoint()).isEmpty();
        assertThat(config.mediaStorePath()).isEqualTo(files.mediaStore());
        assertThat(config.warnings()).anySatisfy(warning -> assertThat(warning)
                .contains("line 5 (PREFIX)").contains("quotes"));
    }

    /**
     * An env file an admin quoted by hand (as shell and compose files are written): the quotes make a storage class
     * and a key length that look right in the errors, so the warnings that explain them come with the errors, for
     * MEDIA_PATH too, and never with a secret's value.
     */
    @Test
    void quotedValuesThatBreakTheConfigurationAreExplainedBesideTheErrors() {
        ConfigFiles files = new ConfigFiles(dir);
        Path env = files.write("env", "BUCKET=\"b\"\r\n"
                + "STORAGE_CLASS=\"STANDARD\"\r\n"
                + "SSE_CUSTOMER_KEY=\"" + SSE_KEY + "\"\r\n"
                + "MEDIA_PATH='" + files.mediaStore() + "'\r\n");
        Path conf = files.conf("offload.database { host = db, name = synapse }\n");

        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withEnvFile(env).withConfig(conf), Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("(STORAGE_CLASS)"))
                        .anySatisfy(p -> assertThat(p).contains("(SSE_CUSTOMER_KEY)").contains("but is 34 bytes"))
                        .anySatisfy(p -> assertThat(p).contains("(MEDIA_PATH)"))
                        .noneSatisfy(p -> assertThat(p).contains("quotes")))
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("  warning: env file " + env + " line 1 (BUCKET): the value of BUCKET is in quotes")
                        .contains("line 2 (STORAGE_CLASS): the value of STORAGE_CLASS is in quotes")
                        .contains("line 3 (SSE_CUSTOMER_KEY): the value of SSE_CUSTOMER_KEY is in quotes")
                        .contains("line 4 (MEDIA_PATH): the value of MEDIA_PATH is in quotes")
                        .doesNotContain(SSE_KEY));
    }

    /**
     * A hand-edited variable name one or two letters off: ignored like any other unknown variable, PERFIX would
     * leave the prefix empty and put every object where Synapse does not look. Variables far from ours stay ignored.
     */
    @Test
    void aMisspeltVariableIsRefusedNamingTheOneMeant() {
        ConfigFiles files = new ConfigFiles(dir);
        Path env = files.write("env", "BUCKET=b\n"
                + "PERFIX=synapse/\n"
                + "SSE_CUSTOMER_KY=" + SSE_KEY + "\n"
                + "bucket=b\n"
                + "SOMETHING_ELSE=ignored\n"
                + "AWS_REQUEST_CHECKSUM_CALCULATION=when_required\n"
                + "MEDIA_PATH=" + files.mediaStore() + "\n");
        Path conf = files.conf("offload.database { host = db, name = synapse }\n");

        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withEnvFile(env).withConfig(conf), Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("env file " + env + " line 2 (PERFIX) is not a variable")
                                .contains("did you mean PREFIX?"),
                        p -> assertThat(p).startsWith("env file " + env + " line 3 (SSE_CUSTOMER_KY)")
                                .contains("did you mean SSE_CUSTOMER_KEY?").doesNotContain(SSE_KEY),
                        p -> assertThat(p).startsWith("env file " + env + " line 4 (bucket)")
                                .contains("did you mean BUCKET?")));
    }

    @Test
    void aLineDockerRejectsIsAnErrorNamingTheLine() {
        ConfigFiles files = new ConfigFiles(dir);
        Path env = files.write("env", "BUCKET=b\n=value\nBAD NAME=x\n");

        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withEnvFile(env), Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains(env + " line 2").contains("no variable name"))
                        .anySatisfy(p -> assertThat(p).contains(env + " line 3").contains("whitespace")));
    }

    @Test
    void aMissingEnvFileIsNamed() {
        Path missing = dir.resolve("nope.env");
        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withEnvFile(missing), Map.of()))
                .hasMessageContaining("env file " + missing + " (--env-file) does not exist");
    }

    @Test
    void updateDbDurationUsesUpstreamUnits() {
        ConfigFiles files = new ConfigFiles(dir);
        Path conf = files.conf(files.required());
        for (Map.Entry<String, Duration> entry : Map.of("0d", Duration.ZERO, "1m", Duration.ofDays(30),
                "1y", Duration.ofDays(365), "12h", Duration.ofHours(12), "90s", Duration.ofSeconds(90)).entrySet()) {
            Path env = files.write("env", "UPDATE_DB_DURATION=" + entry.getKey() + "\n");
            OffloadConfig config = ConfigLoader.load(ConfigSources.none().withEnvFile(env).withConfig(conf), Map.of());
            assertThat(config.selection().minAge()).as(entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    @Test
    void withoutKeysAnywhereCredentialsStayEmpty() {
        ConfigFiles files = new ConfigFiles(dir);
        Path env = files.write("env", "BUCKET=b\nAWS_DEFAULT_REGION=us-west-2\nENDPOINT=https://s3.example.com\n"
                + "MEDIA_PATH=" + files.mediaStore() + "\n");
        Path conf = files.conf("offload.database { host = db, name = synapse }\n");
        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withEnvFile(env).withConfig(conf), Map.of());
        assertThat(config.s3().accessKeyId()).isEqualTo(Optional.empty());
        assertThat(config.s3().secretAccessKey()).isEmpty();
        assertThat(config.s3().sessionToken()).isEmpty();
    }
}

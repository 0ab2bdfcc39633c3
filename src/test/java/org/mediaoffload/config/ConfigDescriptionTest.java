package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDescriptionTest {
    @TempDir
    Path dir;

    @Test
    void summarisesTheEffectiveConfiguration() {
        ConfigFiles files = new ConfigFiles(dir);
        OffloadConfig config = files.load(files.required() + "offload.s3.storage-class = ONEZONE_IA\n");

        String description = ConfigLoader.describe(config);

        assertThat(description.lines()).first().isEqualTo("Effective configuration:");
        assertThat(description)
                .contains("media-store-path = " + files.mediaStore())
                .contains("database: postgres host db.example.org port 5432 database synapse, user = (default),"
                        + " password = (unset)")
                .contains("selection: min-age = 0, include-remote = true, include-quarantined = true,"
                        + " quiet-period = 10min")
                .contains("bucket = media-bucket, prefix = \"\", region = us-east-1, endpoint = AWS")
                .contains("credentials = SDK default chain")
                .contains("sse-c = off")
                .contains("schedule: cron = \"0 0 5 * * ?\"")
                .contains("http: 127.0.0.1:8457, admin-token = (unset)")
                .contains("metrics: on the admin API only")
                .contains("warning: offload.s3.storage-class");
    }

    @Test
    void durationsReadAsAnOperatorWritesThem() {
        assertThat(ConfigDescription.duration(Duration.ofDays(90))).isEqualTo("90d");
        assertThat(ConfigDescription.duration(Duration.ofHours(12))).isEqualTo("12h");
        assertThat(ConfigDescription.duration(Duration.ofMinutes(10))).isEqualTo("10min");
        assertThat(ConfigDescription.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ConfigDescription.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ConfigDescription.duration(Duration.ZERO)).isEqualTo("0");
    }

    @Test
    void jdbcUrlPasswordsAreMasked() {
        assertThat(Redactor.redactUrl("jdbc:postgresql://h/db?user=u&password=p%40ss&sslmode=require"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=****&sslmode=require");
    }

    @Test
    void theDescriptionNamesTheHomeserverConfigComparedAtEveryRun() {
        ConfigFiles files = new ConfigFiles(dir);
        OffloadConfig config = files.load(files.required());
        assertThat(ConfigLoader.describe(config)).contains("homeserver.yaml (its S3 provider entry is compared with"
                + " our target at every run): none");
    }
}

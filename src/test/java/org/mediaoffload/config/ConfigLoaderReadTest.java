package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pass gives the configuration, the origins and the provider entry; each rule has one definition. */
class ConfigLoaderReadTest {
    @TempDir
    Path dir;

    @Test
    void onePassGivesConfigOriginsAndTheProviderEntry() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", "media_store_path: " + files.mediaStore() + "\n"
                + "media_storage_providers:\n  - module: s3_storage_provider.S3StorageProviderBackend\n"
                + "    config: { bucket: media-bucket, prefix: synapse/ }\n");
        ConfigSources sources = ConfigSources.none().withHomeserverConfig(homeserver)
                .withConfig(files.conf("offload.s3.bucket = media-bucket\noffload.database { host = h, name = n }\n"));

        ConfigLoader.Loaded loaded = ConfigLoader.read(sources, Map.of());

        assertThat(loaded.config().mediaStorePath()).isEqualTo(files.mediaStore());
        assertThat(loaded.origins()).hasEntrySatisfying("offload.media-store-path",
                o -> assertThat(o).startsWith("homeserver.yaml " + homeserver + " line 1"));
        assertThat(loaded.provider()).hasValueSatisfying(p -> assertThat(p.prefix()).isEqualTo("synapse/"));
        assertThat(loaded.provider()).isEqualTo(ConfigLoader.providerSettings(sources));
    }

    @Test
    void anUnusableProviderEntryIsReportedWithTheOtherProblems() {
        ConfigFiles files = new ConfigFiles(dir);
        Path homeserver = files.write("homeserver.yaml", "media_storage_providers:\n"
                + "  - module: s3_storage_provider.S3StorageProviderBackend\n    config: { prefix: x/ }\n");

        assertThatThrownBy(() -> ConfigLoader.read(ConfigSources.none().withHomeserverConfig(homeserver), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("media_storage_providers[0].config.bucket"))
                        .anySatisfy(p -> assertThat(p).startsWith("offload.s3.bucket is required")));
    }

    @Test
    void theUnclosedBraceIsFoundPastBracesInStringsAndComments() {
        assertThat(HoconFile.openBraceLine("a {\n  b = \"{\"\n  # {\n  c = \"\"\"x\n{\"\"\" // {\n  d { }\n")).contains(1);
        assertThat(HoconFile.openBraceLine("a {\n}\nb {\n  c {\n")).contains(4);
        assertThat(HoconFile.openBraceLine("a { b = \"x\\\"{\" }\n")).isEmpty();
    }

    @Test
    void auditDefaultsAreReferenceConfs() {
        assertThat(AuditConfig.defaults()).isEqualTo(new AuditConfig("0 0 3 ? * SUN", Duration.ofHours(6)));
    }

    @Test
    void theRulesTheLoaderChecksAreTheOnesTheirUsersApply() {
        assertThat(new HttpConfig("0.0.0.0", 8457, Optional.empty()).openToOtherHostsWithoutToken()).isTrue();
        assertThat(new HttpConfig("0.0.0.0", -1, Optional.empty()).openToOtherHostsWithoutToken()).isFalse();
        assertThat(new HttpConfig("127.0.0.2", 8457, Optional.empty()).openToOtherHostsWithoutToken()).isFalse();
        assertThat(new HttpConfig("::1", 8457, Optional.empty()).openToOtherHostsWithoutToken()).isFalse();

        assertThatThrownBy(() -> new ScheduleConfig("0 0 5 * *", ZoneId.of("UTC"), false, Duration.ZERO).cronExpression())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("offload.schedule.cron = \"0 0 5 * *\" is not a Quartz cron expression");
        assertThat(new AuditConfig("0 0 3 ? * SUN", Duration.ZERO).cronExpression(ZoneId.of("Europe/Berlin"))
                .getTimeZone().getID()).isEqualTo("Europe/Berlin");
    }
}

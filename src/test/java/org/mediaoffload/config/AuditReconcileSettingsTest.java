package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile's four settings (offload.audit.*): their defaults, their mapping, and their errors. */
class AuditReconcileSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsOnlyReportAndKeepTheDocumentedGuards() {
        ConfigFiles files = new ConfigFiles(dir);

        AuditConfig audit = files.load(files.required()).audit();

        assertThat(audit).isEqualTo(new AuditConfig("0 0 3 ? * SUN", Duration.ofHours(6), false, Duration.ofDays(30),
                0.05, 100_000));
    }

    @Test
    void everySettingMapsToItsField() {
        ConfigFiles files = new ConfigFiles(dir);

        AuditConfig audit = files.load(files.required() + """
                offload.audit {
                  delete-orphans = true
                  orphan-grace = 90d
                  max-orphan-fraction = 0.2
                  max-deletions = 500
                }
                """).audit();

        assertThat(audit.deleteOrphans()).isTrue();
        assertThat(audit.orphanGrace()).isEqualTo(Duration.ofDays(90));
        assertThat(audit.maxOrphanFraction()).isEqualTo(0.2);
        assertThat(audit.maxDeletions()).isEqualTo(500);
    }

    @Test
    void badValuesAreRefusedAllAtOnceNamingTheSetting() {
        ConfigFiles files = new ConfigFiles(dir);
        String hocon = files.required() + """
                offload.audit {
                  delete-orphans = maybe
                  orphan-grace = -1d
                  max-orphan-fraction = 5
                  max-deletions = -3
                }
                """;

        assertThatThrownBy(() -> files.load(hocon)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("offload.audit.delete-orphans").contains("true or false"),
                        p -> assertThat(p).startsWith("offload.audit.orphan-grace").contains("negative"),
                        p -> assertThat(p).startsWith("offload.audit.max-orphan-fraction").contains("from 0 to 1"),
                        p -> assertThat(p).startsWith("offload.audit.max-deletions").contains("negative")));
    }
}

package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.S3ConfigBuilder;

class ConfigDefaultsTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void defaultsAreThoseDocumentedInReferenceConf() {
        ConfigFiles files = new ConfigFiles(dir);
        OffloadConfig config = files.load(files.required());

        assertThat(config.mediaStorePath()).isEqualTo(files.mediaStore());
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/synapse-media-offload"));
        assertThat(config.deleteLocal()).isTrue();
        assertThat(config.maxRunDuration()).isZero();
        assertThat(config.journalRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.homeserverConfig()).isEmpty();
        assertThat(config.warnings()).isEmpty();

        assertThat(config.database()).isEqualTo(new DatabaseConfig(DatabaseType.POSTGRES, Optional.empty(),
                Optional.of("db.example.org"), 5432, Optional.of("synapse"), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), Duration.ofSeconds(60), 2000));
        assertThat(config.selection()).isEqualTo(new SelectionConfig(Duration.ZERO, true, true, Duration.ofMinutes(10)));
        // Every component named, so a changed default shows here (the builder's own defaults are the tests').
        assertThat(config.s3()).isEqualTo(S3ConfigBuilder.forBucket("media-bucket").prefix("").region("us-east-1")
                .endpoint(Optional.empty()).pathStyle(false).accessKeyId(Optional.empty())
                .secretAccessKey(Optional.empty()).sessionToken(Optional.empty()).storageClass("STANDARD")
                .sseCustomerKey(Optional.empty()).caBundle(Optional.empty()).rewriteUnreadable(false).concurrency(32)
                .multipartThreshold(64 * MIB).multipartPartSize(8 * MIB).multipartConcurrency(16).maxAttempts(5)
                .requestTimeout(Duration.ofMinutes(5)).bandwidthLimit(0).build());
        assertThat(config.schedule()).isEqualTo(new ScheduleConfig("0 0 5 * * ?", ZoneId.systemDefault(), false,
                Duration.ZERO));
        assertThat(config.http()).isEqualTo(new HttpConfig("127.0.0.1", 8457, Optional.empty()));
        assertThat(config.metrics()).isEqualTo(new MetricsConfig("127.0.0.1", -1));
    }

    @Test
    void referenceConfDefinesExactlyTheSettingsWeRead() {
        assertThat(new UnknownKeys(ConfigLoader.reference()).validKeys()).containsExactlyInAnyOrder(
                "offload.media-store-path", "offload.state-dir", "offload.delete-local", "offload.max-run-duration",
                "offload.journal-retention", "offload.shutdown-grace", "offload.path-map",
                "offload.database.type", "offload.database.url", "offload.database.host", "offload.database.port",
                "offload.database.name", "offload.database.user", "offload.database.password",
                "offload.database.password-file", "offload.database.sqlite-path", "offload.database.options",
                "offload.database.statement-timeout", "offload.database.login-timeout",
                "offload.database.socket-timeout", "offload.database.fetch-size",
                "offload.selection.min-age", "offload.selection.include-remote",
                "offload.selection.include-quarantined", "offload.selection.quiet-period",
                "offload.s3.bucket", "offload.s3.prefix", "offload.s3.region", "offload.s3.endpoint",
                "offload.s3.path-style", "offload.s3.access-key-id", "offload.s3.access-key-id-file",
                "offload.s3.secret-access-key", "offload.s3.secret-access-key-file", "offload.s3.session-token",
                "offload.s3.session-token-file", "offload.s3.storage-class", "offload.s3.sse-customer-key",
                "offload.s3.sse-customer-key-file", "offload.s3.sse-customer-algorithm", "offload.s3.ca-bundle",
                "offload.s3.rewrite-unreadable", "offload.s3.concurrency", "offload.s3.multipart-threshold",
                "offload.s3.multipart-part-size", "offload.s3.multipart-concurrency", "offload.s3.max-attempts", "offload.s3.request-timeout",
                "offload.s3.bandwidth-limit",
                "offload.schedule.cron", "offload.schedule.time-zone", "offload.schedule.catch-up",
                "offload.schedule.random-delay", "offload.audit.cron", "offload.audit.max-duration",
                "offload.audit.delete-orphans", "offload.audit.orphan-grace", "offload.audit.max-orphan-fraction",
                "offload.audit.max-deletions",
                "offload.http.bind", "offload.http.port", "offload.http.admin-token", "offload.http.admin-token-file",
                "offload.metrics.bind", "offload.metrics.port");
    }

    @Test
    void everySettingInReferenceConfHasAComment() {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(ConfigLoader.reference().root().get("offload"), "offload", undocumented);
        assertThat(undocumented).isEmpty();
    }

    @Test
    void referenceConfHasNoSecretValues() {
        Config reference = ConfigLoader.reference();
        for (String secret : Layers.SECRETS) {
            assertThat(reference.hasPath(secret)).as(secret).isFalse();
            assertThat(reference.hasPath(secret + "-file")).as(secret + "-file").isFalse();
        }
    }

    private static void collectUndocumented(ConfigValue value, String path, List<String> undocumented) {
        if (value.origin().comments().stream().allMatch(String::isBlank)) {
            undocumented.add(path);
        }
        if (value instanceof ConfigObject object && !path.endsWith("path-map") && !path.endsWith("options")) {
            object.forEach((key, child) -> collectUndocumented(child, path + "." + key, undocumented));
        }
    }
}

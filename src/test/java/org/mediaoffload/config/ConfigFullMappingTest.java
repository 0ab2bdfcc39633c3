package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every setting set to a value other than its default arrives in the records. */
class ConfigFullMappingTest {
    private static final String SSE_KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void everySettingMapsToItsRecordField() {
        ConfigFiles files = new ConfigFiles(dir);
        Path media = files.mediaStore();
        Path sqlite = files.write("homeserver.db", "");
        Path ca = files.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
        OffloadConfig config = files.load("""
                offload {
                  media-store-path = "%s"
                  state-dir = "/srv/offload-state"
                  delete-local = false
                  max-run-duration = 2h
                  journal-retention = 30d
                  shutdown-grace = 5s
                  path-map { "/container" = "/host" }
                  database {
                    type = postgres
                    host = db.internal
                    port = 6432
                    name = synapse_main
                    user = synapse_reader
                    password = "pg-pass-word"
                    sqlite-path = "%s"
                    options { sslmode = verify-full, connect_timeout = 10 }
                    statement-timeout = 2m
                    fetch-size = 500
                  }
                  selection {
                    min-age = 30d
                    include-remote = false
                    include-quarantined = false
                    quiet-period = 1h
                  }
                  s3 {
                    bucket = other-bucket
                    prefix = "synapse/"
                    region = eu-central-1
                    endpoint = "https://s3.example.com:9000"
                    path-style = false
                    access-key-id = AKIDEXAMPLE
                    secret-access-key = "secret/access+key"
                    session-token = "session-token-value"
                    storage-class = STANDARD_IA
                    sse-customer-key = "%s"
                    sse-customer-algorithm = AES256
                    ca-bundle = "%s"
                    rewrite-unreadable = true
                    concurrency = 4
                    multipart-threshold = 64MiB
                    multipart-part-size = 16MiB
                    multipart-concurrency = 3
                    max-attempts = 9
                    request-timeout = 90s
                    bandwidth-limit = 1MiB
                  }
                  schedule {
                    cron = "0 30 2 * * ?"
                    time-zone = "Europe/Berlin"
                    catch-up = true
                    random-delay = 15m
                  }
                  audit { cron = "0 0 4 ? * SAT", max-duration = 90m }
                  http { bind = "0.0.0.0", port = 9000, admin-token = "admin-token-value" }
                  metrics { bind = "0.0.0.0", port = 9100 }
                }
                """.formatted(media, sqlite, SSE_KEY, ca));

        assertThat(config.mediaStorePath()).isEqualTo(media);
        assertThat(config.stateDir()).isEqualTo(Path.of("/srv/offload-state"));
        assertThat(config.deleteLocal()).isFalse();
        assertThat(config.maxRunDuration()).isEqualTo(Duration.ofHours(2));
        assertThat(config.journalRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));

        assertThat(config.database()).isEqualTo(new DatabaseConfig(DatabaseType.POSTGRES, Optional.empty(),
                Optional.of("db.internal"), 6432, Optional.of("synapse_main"), Optional.of("synapse_reader"),
                Optional.of(new Secret("pg-pass-word")), Optional.of(sqlite),
                Map.of("sslmode", "verify-full", "connect_timeout", "10"), Duration.ofMinutes(2), 500));
        assertThat(config.selection()).isEqualTo(
                new SelectionConfig(Duration.ofDays(30), false, false, Duration.ofHours(1)));

        S3Config s3 = config.s3();
        assertThat(s3.bucket()).isEqualTo("other-bucket");
        assertThat(s3.prefix()).isEqualTo("synapse/");
        assertThat(s3.region()).isEqualTo("eu-central-1");
        assertThat(s3.endpoint()).contains(URI.create("https://s3.example.com:9000"));
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.accessKeyId()).contains(new Secret("AKIDEXAMPLE"));
        assertThat(s3.secretAccessKey()).contains(new Secret("secret/access+key"));
        assertThat(s3.sessionToken()).contains(new Secret("session-token-value"));
        assertThat(s3.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(s3.sseCustomerKey()).contains(SseCustomerKey.fromConfiguredString(SSE_KEY, "AES256"));
        assertThat(s3.caBundle()).contains(ca);
        assertThat(s3.rewriteUnreadable()).isTrue();
        assertThat(s3.concurrency()).isEqualTo(4);
        assertThat(s3.multipartThreshold()).isEqualTo(64L * 1024 * 1024);
        assertThat(s3.multipartPartSize()).isEqualTo(16L * 1024 * 1024);
        assertThat(s3.multipartConcurrency()).isEqualTo(3);
        assertThat(s3.maxAttempts()).isEqualTo(9);
        assertThat(s3.requestTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s3.bandwidthLimit()).isEqualTo(1024 * 1024);

        assertThat(config.schedule()).isEqualTo(new ScheduleConfig("0 30 2 * * ?", ZoneId.of("Europe/Berlin"), true,
                Duration.ofMinutes(15)));
        assertThat(config.http()).isEqualTo(new HttpConfig("0.0.0.0", 9000, Optional.of(new Secret("admin-token-value"))));
        assertThat(config.metrics()).isEqualTo(new MetricsConfig("0.0.0.0", 9100));
        assertThat(config.audit()).isEqualTo(new AuditConfig("0 0 4 ? * SAT", Duration.ofMinutes(90)));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void sqliteDatabaseAndJdbcUrl() {
        ConfigFiles files = new ConfigFiles(dir);
        Path sqlite = files.write("homeserver.db", "");
        OffloadConfig onSqlite = files.load(files.required()
                + "offload.database { host = null, name = null, type = sqlite, sqlite-path = \"" + sqlite + "\" }\n");
        assertThat(onSqlite.database().type()).isEqualTo(DatabaseType.SQLITE);
        assertThat(onSqlite.database().sqlitePath()).contains(sqlite);

        OffloadConfig withUrl = files.load("offload.media-store-path = \"" + files.mediaStore() + "\"\n"
                + "offload.s3.bucket = b\n"
                + "offload.database.url = \"jdbc:postgresql://db:5433/synapse?sslmode=require\"\n");
        assertThat(withUrl.database().url()).contains("jdbc:postgresql://db:5433/synapse?sslmode=require");
        assertThat(withUrl.database().host()).isEmpty();
    }

    @Test
    void pathStyleIsAutomaticWithAnEndpoint() {
        ConfigFiles files = new ConfigFiles(dir);
        assertThat(files.load(files.required() + "offload.s3.endpoint = \"https://minio.local\"\n").s3().pathStyle())
                .isTrue();
        assertThat(files.load(files.required() + "offload.s3 { endpoint = \"https://minio.local\", path-style = auto }")
                .s3().pathStyle()).isTrue();
        assertThat(files.load(files.required() + "offload.s3.path-style = true\n").s3().pathStyle()).isTrue();
        assertThat(files.load(files.required()).s3().pathStyle()).isFalse();
    }

    @Test
    void substitutionsComeFromTheGivenEnvironment() {
        ConfigFiles files = new ConfigFiles(dir);
        Path conf = files.conf(files.required() + "offload.s3.secret-access-key = ${?S3_SECRET}\n"
                + "offload.s3.access-key-id = ${?S3_KEY}\n");
        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withConfig(conf),
                Map.of("S3_SECRET", "from-env-secret", "S3_KEY", "from-env-key"));
        assertThat(config.s3().secretAccessKey()).contains(new Secret("from-env-secret"));
        assertThat(config.s3().accessKeyId()).contains(new Secret("from-env-key"));

        OffloadConfig unset = ConfigLoader.load(ConfigSources.none().withConfig(conf), Map.of());
        assertThat(unset.s3().secretAccessKey()).isEmpty();
    }
}

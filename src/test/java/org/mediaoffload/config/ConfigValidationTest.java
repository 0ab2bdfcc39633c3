package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input is refused with a message naming the setting, where it was set, and what to do. */
class ConfigValidationTest {
    @TempDir
    Path dir;

    private List<String> problems(String hocon) {
        ConfigFiles files = new ConfigFiles(dir);
        Path conf = files.conf(hocon);
        try {
            ConfigLoader.load(ConfigSources.none().withConfig(conf), Map.of());
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("Invalid configuration (" + e.problems().size());
            return e.problems();
        }
        throw new AssertionError("configuration was accepted: " + hocon);
    }

    private String required() {
        return new ConfigFiles(dir).required();
    }

    @Test
    void missingRequiredSettingsAreReportedAllAtOnce() {
        assertThat(problems("offload.state-dir = \"\"\n")).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).startsWith("offload.media-store-path is required"),
                p -> assertThat(p).startsWith("offload.database does not say where Synapse's PostgreSQL database is"),
                p -> assertThat(p).startsWith("offload.s3.bucket is required"),
                p -> assertThat(p).startsWith("offload.state-dir is required"));
    }

    @Test
    void aMissingClosingBraceIsReportedAsOne() {
        assertThat(problems("offload {\n  s3 {\n    bucket = media\n  }\n  state-dir = \"/var/lib/x\"\n"))
                .singleElement().satisfies(p -> assertThat(p).contains("offload.conf")
                        .contains("a '}' is missing").contains("'{' on line 1")
                        .doesNotContain("parenthes"));
    }

    @Test
    void unknownKeysSuggestTheNearestValidKey() {
        assertThat(problems(required() + "offload.s3.secret-key = x\noffload.bucket = y\noffload.s3.bukcet = z\n"
                + "offload.selection.min_age = 3d\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.secret-key (file ")
                        .contains("offload.conf line 4) is not a known setting; did you mean offload.s3.secret-access-key?"))
                .anySatisfy(p -> assertThat(p).contains("offload.bucket").endsWith("did you mean offload.s3.bucket?"))
                .anySatisfy(p -> assertThat(p).contains("offload.s3.bukcet").endsWith("did you mean offload.s3.bucket?"))
                .anySatisfy(p -> assertThat(p).contains("offload.selection.min_age")
                        .endsWith("did you mean offload.selection.min-age?"));
    }

    @Test
    void freeFormMapsAcceptAnyKeyButOtherSectionsDoNot() {
        ConfigFiles files = new ConfigFiles(dir);
        OffloadConfig config = files.load(required() + "offload.database.options { sslmode = require, target_session_attrs = any }\n"
                + "offload.path-map { \"/a\" = \"/b\" }\n");
        assertThat(config.database().libpqOptions()).containsEntry("target_session_attrs", "any");
        assertThat(problems(required() + "offload.schedule { every = 5m }\n"))
                .singleElement().asString().contains("offload.schedule.every").contains("did you mean");
    }

    @Test
    void aMisspeltSectionSuggestsTheSectionNotALeafOfTheSameName() {
        // Before, offload.shedule suggested offload.s3.bucket, and a lone shedule.cron would have found audit.cron.
        assertThat(problems(required() + "offload.shedule.cron = \"0 0 4 * * ?\"\n"
                + "offload.selction { min-age = 3d, quiet-period = 5m }\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.shedule (file ")
                        .endsWith("did you mean offload.schedule?"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.selction (file ")
                        .endsWith("did you mean offload.selection?"));
    }

    @Test
    void settingsOutsideOffloadAreReported() {
        assertThat(problems(required() + "s3 { bucket = x }\n"))
                .singleElement().asString().startsWith("s3 (file ").contains("is outside offload { }")
                .endsWith("e.g. offload.s3");
        // A misspelt offload is named as such, not "e.g. offload.ofload"; a bare leaf gets its section.
        assertThat(problems(required() + "ofload.delete-local = false\n"))
                .singleElement().asString().startsWith("ofload (file ").endsWith("did you mean offload?");
        assertThat(problems(required() + "bucket = x\n"))
                .singleElement().asString().startsWith("bucket (file ").endsWith("e.g. offload.s3.bucket");
    }

    @Test
    void sseCustomerKeyMustBe32BytesAndTheMessageGivesOnlyTheLength() {
        String key = "this-key-is-too-short";
        assertThat(problems(required() + "offload.s3.sse-customer-key = \"" + key + "\"\n"))
                .singleElement().asString()
                .startsWith("offload.s3.sse-customer-key (file ")
                .contains("must be exactly 32 bytes")
                .contains("but is 21 bytes")
                .doesNotContain(key);
        // 32 characters but 33 bytes of UTF-8: the bytes count, as upstream.
        assertThat(problems(required() + "offload.s3.sse-customer-key = \"ä1234567890123456789012345678901\"\n"))
                .singleElement().asString().contains("but is 33 bytes");
    }

    @Test
    void sseCustomerAlgorithmMustBeAes256() {
        assertThat(problems(required() + "offload.s3 { sse-customer-key = \"0123456789abcdef0123456789abcdef\","
                + " sse-customer-algorithm = AES128 }\n"))
                .singleElement().asString().contains("offload.s3.sse-customer-algorithm").contains("AES256");
    }

    @Test
    void archiveStorageClassesAreRefusedWithTheReason() {
        assertThat(problems(required() + "offload.s3.storage-class = GLACIER\n")).singleElement().asString()
                .contains("offload.s3.storage-class").contains("GLACIER is refused").contains("GetObject");
        assertThat(problems(required() + "offload.s3.storage-class = DEEP_ARCHIVE\n")).singleElement().asString()
                .contains("DEEP_ARCHIVE is refused").contains("restored");
        assertThat(problems(required() + "offload.s3.storage-class = GLACIER_IR\n")).singleElement().asString()
                .contains("GLACIER_IR is refused");
        assertThat(problems(required() + "offload.s3.storage-class = EXPRESS_ONEZONE\n")).singleElement().asString()
                .contains("EXPRESS_ONEZONE is not a storage class we can use");
    }

    @Test
    void oneZoneIaIsAcceptedWithAWarning() {
        OffloadConfig config = new ConfigFiles(dir).load(required() + "offload.s3.storage-class = ONEZONE_IA\n");
        assertThat(config.s3().storageClass()).isEqualTo("ONEZONE_IA");
        assertThat(config.warnings()).singleElement().asString()
                .contains("offload.s3.storage-class").contains("Synapse S3 provider refuses ONEZONE_IA");
    }

    @Test
    void badDurationsNameTheKeyAndTheAcceptedForms() {
        assertThat(problems(required() + "offload.selection.min-age = 2w\n")).singleElement().asString()
                .startsWith("offload.selection.min-age (file ")
                .contains("\"2w\"")
                .contains("<integer><s|h|d|m|y> (m = 30 days, y = 365 days");
        assertThat(problems(required() + "offload.selection.min-age = 30\n")).singleElement().asString()
                .contains("has no unit");
        assertThat(problems(required() + "offload.selection.min-age = \"-1d\"\n")).singleElement().asString()
                .contains("min-age");
        assertThat(problems(required() + "offload.shutdown-grace = soon\n")).singleElement().asString()
                .contains("offload.shutdown-grace").contains("must be a duration");
    }

    @Test
    void numericLimits() {
        assertThat(problems(required() + "offload.s3 { concurrency = 0, multipart-part-size = 4MiB, max-attempts = 0,"
                + " multipart-concurrency = 0,"
                + " bandwidth-limit = -1, request-timeout = 0s }\noffload.database.fetch-size = 0\n"
                + "offload.database.port = 70000\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.concurrency").contains("at least 1"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.multipart-part-size").contains("5MiB"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.multipart-concurrency").contains("at least 1"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.max-attempts"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.bandwidth-limit"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.request-timeout"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.database.fetch-size"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.database.port"))
                .hasSize(8);
        assertThat(problems(required() + "offload.s3.concurrency = many\n")).singleElement().asString()
                .contains("\"many\" must be a whole number");
    }

    @Test
    void scheduleMustParse() {
        assertThat(problems(required() + "offload.schedule { cron = \"0 0 5 * *\", time-zone = Mars/Olympus }\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.schedule.cron").contains("not a Quartz cron expression"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.schedule.time-zone").contains("Mars/Olympus"))
                .hasSize(2);
    }

    @Test
    void auditScheduleMustParse() {
        assertThat(problems(required() + "offload.audit { cron = \"weekly\", max-duration = -1h }\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.audit.cron").contains("\"weekly\"")
                        .contains("not a Quartz cron expression"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.audit.max-duration").contains("negative"))
                .hasSize(2);
    }

    @Test
    void listeners() {
        assertThat(problems(required() + "offload.http.bind = \"0.0.0.0\"\n")).singleElement().asString()
                .startsWith("offload.http.bind").contains("no admin token");
        assertThat(problems(required() + "offload.http { bind = \"not a host!\", port = 70000 }\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.http.bind").contains("not an address"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.http.port").contains("-1 for off"));
        assertThat(problems(required() + "offload.metrics.port = 8457\n")).singleElement().asString()
                .startsWith("offload.metrics.port").contains("offload.http.port");
        ConfigFiles files = new ConfigFiles(dir);
        assertThat(files.load(required() + "offload.http { bind = \"0.0.0.0\", port = -1 }\n").http().port())
                .as("a disabled API needs no token").isEqualTo(-1);
        assertThat(files.load(required() + "offload.http.bind = \"::1\"\n").http().bind()).isEqualTo("::1");
    }

    @Test
    void valueAndFileTogetherAreAnError() {
        ConfigFiles files = new ConfigFiles(dir);
        Path secret = files.write("secret", "s\n");
        assertThat(problems(required() + "offload.s3 { secret-access-key = abc, secret-access-key-file = \"" + secret
                + "\", access-key-id = k }\n"))
                .singleElement().asString()
                .startsWith("offload.s3.secret-access-key (file ")
                .contains("offload.s3.secret-access-key-file (file ")
                .contains("set only one");
    }

    @Test
    void halfACredentialPairIsAnError() {
        assertThat(problems(required() + "offload.s3.access-key-id = AKID\n")).singleElement().asString()
                .startsWith("offload.s3.secret-access-key is missing while offload.s3.access-key-id");
        assertThat(problems(required() + "offload.s3.session-token = t\n")).singleElement().asString()
                .startsWith("offload.s3.session-token");
    }

    @Test
    void databaseProblems() {
        String base = "offload.media-store-path = \"" + new ConfigFiles(dir).mediaStore() + "\"\noffload.s3.bucket = b\n";
        assertThat(problems(base + "offload.database { type = mysql, host = h, name = n }\n")).singleElement()
                .asString().startsWith("offload.database.type").contains("postgres or sqlite");
        assertThat(problems(base + "offload.database.type = sqlite\n")).singleElement().asString()
                .startsWith("offload.database.sqlite-path is required");
        assertThat(problems(base + "offload.database.url = \"postgres://user:pw-in-url@h/db\"\n")).singleElement()
                .asString().contains("jdbc:postgresql:").doesNotContain("pw-in-url");
        assertThat(problems(base + "offload.database { url = \"jdbc:postgresql://h/db\", host = h }\n")).singleElement()
                .asString().contains("both set");
    }

    @Test
    void mediaStoreMustBeADirectory() {
        ConfigFiles files = new ConfigFiles(dir);
        Path file = files.write("not-a-dir", "");
        assertThat(problems("offload.media-store-path = \"" + file + "\"\noffload.s3.bucket = b\n"
                + "offload.database { host = h, name = n }\n"))
                .singleElement().asString().contains(file.toString()).contains("is not a directory");
    }

    @Test
    void endpointAndCaBundle() {
        assertThat(problems(required() + "offload.s3 { endpoint = \"s3.example.com\", ca-bundle = \"/nonexistent/ca.pem\" }\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.endpoint").contains("https://"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3.ca-bundle").contains("/nonexistent/ca.pem"))
                .hasSize(2);
    }

    @Test
    void prefixWithoutTrailingSlashIsAWarningAboutUpstreamConcatenation() {
        OffloadConfig config = new ConfigFiles(dir).load(required() + "offload.s3.prefix = synapse\n");
        assertThat(config.s3().keyFor("local_content/ab/cd/ef")).isEqualTo("synapselocal_content/ab/cd/ef");
        assertThat(config.warnings()).singleElement().asString().contains("synapselocal_content/");
    }

    @Test
    void aMissingConfigFileIsNamedAlone() {
        Path missing = dir.resolve("missing.conf");
        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withConfig(missing), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "config file " + missing + " (--config) does not exist or is not a regular file"));
    }

    @Test
    void hoconSyntaxErrorsNameFileAndLine() {
        ConfigFiles files = new ConfigFiles(dir);
        Path conf = files.conf("offload {\n  s3 { bucket = b c = }\n");
        assertThatThrownBy(() -> ConfigLoader.load(ConfigSources.none().withConfig(conf), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("config file " + conf + " line 2: "));
    }

    @Test
    void sectionsOfTheWrongShapeAreReportedNotThrown() {
        assertThat(problems("offload.media-store-path = \"" + new ConfigFiles(dir).mediaStore() + "\"\n"
                + "offload.database = postgres\noffload.s3 = [1, 2]\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.database (file ").contains("must be an object"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.s3 (file ").contains("must be an object"));
        assertThat(problems("offload = 5\n")).anySatisfy(p -> assertThat(p).contains("must be an object"));
    }
}

package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No secret value appears in an exception message, a warning, or the start-up description. */
class SecretLeakTest {
    private static final String SSE_KEY = "SSEkeySSEkeySSEkeySSEkeySSEkey32";
    private static final List<String> SECRETS = List.of("PgPassw0rdLeak", "AKIDLEAKLEAK", "SecretAccessLeak",
            "SessionTokenLeak", SSE_KEY, "AdminTokenLeak", "UrlPasswordLeak", "ShortSseLeak", "YamlPasswordLeak",
            "HoconSyntaxLeak", "SslPasswordLeak");

    @TempDir
    Path dir;

    @Test
    void describeMasksEverySecret() {
        ConfigFiles files = new ConfigFiles(dir);
        Path env = files.write("env", "AWS_ACCESS_KEY_ID=\"AKIDLEAKLEAK\"\nAWS_SECRET_ACCESS_KEY='SecretAccessLeak'\n"
                + "AWS_SESSION_TOKEN=SessionTokenLeak\nSSE_CUSTOMER_KEY=" + SSE_KEY + "\n");
        Path conf = files.conf("offload.media-store-path = \"" + files.mediaStore() + "\"\noffload.s3.bucket = b\n"
                + "offload.database { url = \"jdbc:postgresql://db/synapse?user=u&password=UrlPasswordLeak&ssl=true\","
                + " password = PgPassw0rdLeak, options { sslpassword = SslPasswordLeak } }\n"
                + "offload.http { bind = \"0.0.0.0\", admin-token = AdminTokenLeak }\n");

        OffloadConfig config = ConfigLoader.load(ConfigSources.none().withEnvFile(env).withConfig(conf), Map.of());
        String description = ConfigLoader.describe(config);

        assertThat(config.warnings()).as("quoted secrets in the env file are warned about").hasSize(2);
        assertNoSecretIn(description);
        assertThat(description).contains("password = ****").contains("admin-token = ****")
                .contains("sse-c = AES256 key ****").contains("password=****&ssl=true")
                .contains("sslpassword=****").contains("bucket = b");
        assertThat(config.s3().toString()).doesNotContain("SecretAccessLeak").doesNotContain(SSE_KEY);
    }

    @Test
    void noExceptionMessageContainsASecret() {
        ConfigFiles files = new ConfigFiles(dir);
        String required = files.required();
        List<Supplier<ConfigSources>> broken = new ArrayList<>();
        // value and file both set
        broken.add(() -> ConfigSources.none().withConfig(files.conf(required + "offload.database.password = PgPassw0rdLeak\n"
                + "offload.database.password-file = \"" + files.write("pw", "x") + "\"\n")));
        // SSE-C key of the wrong length, from the env file
        broken.add(() -> ConfigSources.none().withConfig(files.conf(required))
                .withEnvFile(files.write("env", "SSE_CUSTOMER_KEY=ShortSseLeak\nAWS_ACCESS_KEY_ID=AKIDLEAKLEAK\n")));
        // a JDBC URL that is not one
        broken.add(() -> ConfigSources.none().withConfig(files.conf("offload.s3.bucket = b\n"
                + "offload.database.url = \"postgresql://u:UrlPasswordLeak@h/db\"\n")));
        // database.yaml that is not YAML
        broken.add(() -> ConfigSources.none().withDatabaseYaml(files.write("database.yaml",
                "user: u\npassword: [YamlPasswordLeak\nhost: h\n")));
        // HOCON that does not parse, on the secret's line
        broken.add(() -> ConfigSources.none().withConfig(files.write("syntax.conf",
                "offload.s3.secret-access-key = \"HoconSyntaxLeak\n")));
        broken.add(() -> ConfigSources.none().withConfig(files.write("syntax2.conf",
                "offload.s3 { secret-access-key = HoconSyntaxLeak HoconSyntaxLeak = }\n")));
        // secrets of the wrong type, and secrets beside a non-loopback API without a token
        broken.add(() -> ConfigSources.none().withConfig(files.conf(required
                + "offload.s3 { secret-access-key { value = SecretAccessLeak }, session-token = SessionTokenLeak }\n"
                + "offload.http.bind = \"10.0.0.1\"\n")));

        for (Supplier<ConfigSources> sources : broken) {
            try {
                ConfigLoader.load(sources.get(), Map.of());
                throw new AssertionError("expected a ConfigException");
            } catch (ConfigException e) {
                assertNoSecretIn(e.getMessage());
            }
        }
    }

    @Test
    void providerFindingsAndSettingsDoNotShowKeys() {
        ProviderSettings theirs = new ProviderSettings("hs", "b", "", Optional.empty(), Optional.empty(),
                Optional.of(new Secret("ShortSseLeak")), "AES256", "STANDARD", true, true);
        assertNoSecretIn(theirs.toString());
        ConfigFiles files = new ConfigFiles(dir);
        OffloadConfig config = files.load(files.required() + "offload.s3.sse-customer-key = \"" + SSE_KEY + "\"\n");
        ProviderCompatibility.compare(config.s3(), theirs).forEach(f -> assertNoSecretIn(f.message()));
    }

    private static void assertNoSecretIn(String text) {
        for (String secret : SECRETS) {
            assertThat(text).as("leaks %s", secret).doesNotContain(secret);
        }
    }
}

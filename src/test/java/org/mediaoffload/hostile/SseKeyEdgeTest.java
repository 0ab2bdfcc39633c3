package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediaoffload.config.ConfigLoader;
import org.mediaoffload.config.ConfigSources;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.ProviderCompatibility;
import org.mediaoffload.config.ProviderSettings;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;
import software.amazon.awssdk.core.sync.ResponseTransformer;

/**
 * SSE-C keys with odd bytes, with upstream's semantics: the configured string's UTF-8 bytes are the AES-256 key,
 * whatever they are (boto3 base64-encodes the str it is given). Spaces at either end, quotes, backslashes, HOCON's
 * and YAML's special characters, a substitution-like {@code ${...}}, and 16 two-byte characters: every way of
 * configuring it gives the same 32 bytes, and the object is readable with exactly those bytes.
 */
class SseKeyEdgeTest extends EngineTestBase {
    /** Each exactly 32 UTF-8 bytes. */
    private static final String SPACES_AND_QUOTES = " a\"b\\c#d$e{f}g:h'i,j=k[l]m&n*o! ";
    private static final String SUBSTITUTION = "${HOME}${?X}-0123456789abcdefghi";
    private static final String TWO_BYTE = "éééééééééééééééé";

    private static String base64(String key) {
        return Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5Base64(String key) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hoconQuoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private String required() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("media-store"));
        for (String top : List.of("local_content", "local_thumbnails", "remote_content", "remote_thumbnail")) {
            Files.createDirectories(store.resolve(top));
        }
        return "offload.media-store-path = " + hoconQuoted(store.toString()) + "\n"
                + "offload.s3.bucket = media-bucket\n"
                + "offload.database { host = db.example.org, name = synapse }\n";
    }

    private OffloadConfig load(ConfigSources sources) {
        return ConfigLoader.load(sources, Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {SPACES_AND_QUOTES, SUBSTITUTION, TWO_BYTE})
    void everyWayOfConfiguringTheKeyGivesItsRawBytes(String key) throws Exception {
        assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSize(32);
        String required = required();

        Path hocon = Files.writeString(tmp.resolve("hocon.conf"),
                required + "offload.s3.sse-customer-key = " + hoconQuoted(key) + "\n");
        Path keyFile = Files.writeString(tmp.resolve("sse.key"), key + "\n");
        Path fromFile = Files.writeString(tmp.resolve("file.conf"),
                required + "offload.s3.sse-customer-key-file = " + hoconQuoted(keyFile.toString()) + "\n");
        Path envFile = Files.writeString(tmp.resolve("env"), "SSE_CUSTOMER_KEY=" + key + "\n");
        Path plain = Files.writeString(tmp.resolve("plain.conf"), required);

        for (ConfigSources sources : List.of(ConfigSources.none().withConfig(hocon),
                ConfigSources.none().withConfig(fromFile), ConfigSources.none().withConfig(plain).withEnvFile(envFile))) {
            OffloadConfig config = load(sources);
            assertThat(config.s3().sseCustomerKey()).as("%s", sources).hasValueSatisfying(k -> {
                assertThat(k.keyBase64()).isEqualTo(base64(key));
            });
        }

        // Synapse's provider entry with the same key, in YAML's single quotes: the comparison finds no difference.
        Path yaml = Files.writeString(tmp.resolve("homeserver.yaml"), """
                media_storage_providers:
                - module: s3_storage_provider.S3StorageProviderBackend
                  store_local: true
                  store_remote: true
                  store_synchronous: true
                  config:
                    bucket: media-bucket
                    sse_customer_key: '%s'
                """.formatted(key.replace("'", "''")));
        ProviderSettings provider = ConfigLoader.providerSettings(ConfigSources.none().withHomeserverConfig(yaml))
                .orElseThrow();
        assertThat(provider.sseCustomerKey()).hasValueSatisfying(s -> assertThat(s.value()).isEqualTo(key));
        assertThat(ProviderCompatibility.compare(load(ConfigSources.none().withConfig(hocon)).s3(), provider))
                .noneMatch(f -> f.setting().contains("sse-customer-key"));
    }

    @Test
    void anObjectUploadedWithAnOddKeyIsReadWithExactlyItsBytes() throws Exception {
        harness(Db.SQLITE);
        h.sseKey = Optional.of(SPACES_AND_QUOTES);
        byte[] content = bytes(300, 1);
        h.addLocal("oddKeyMediaAAAAAAAAAAAAA", content, 3 * DAY_MS);
        // The run's configuration as the command line reads it, from a HOCON file.
        OffloadConfig loaded = load(ConfigSources.none().withConfig(h.writeHoconConfig(tmp.resolve("o.conf"), 2)));
        assertThat(loaded.s3().sseCustomerKey().orElseThrow().keyBase64()).isEqualTo(base64(SPACES_AND_QUOTES));

        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);

        // Read back as boto3 would send it: the raw 32 bytes, base64, and their MD5.
        byte[] read = server.adminClient().getObject(g -> g.bucket(h.bucket()).key(localOriginal(
                "oddKeyMediaAAAAAAAAAAAAA")).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(base64(SPACES_AND_QUOTES)).sseCustomerKeyMD5(md5Base64(SPACES_AND_QUOTES)),
                ResponseTransformer.toBytes()).asByteArray();
        assertThat(read).isEqualTo(content);
        assertThat(h.localExists(localOriginal("oddKeyMediaAAAAAAAAAAAAA"))).isFalse();
    }
}

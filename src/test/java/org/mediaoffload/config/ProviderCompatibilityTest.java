package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediaoffload.testing.S3ConfigBuilder;
import org.mediaoffload.config.ProviderCompatibility.Finding;
import org.mediaoffload.config.ProviderCompatibility.Severity;

class ProviderCompatibilityTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_KEY = "fedcba9876543210fedcba9876543210";

    private static S3Config ours(String bucket, String prefix, Optional<String> sseKey, Optional<String> endpoint) {
        return S3ConfigBuilder.forBucket(bucket).prefix(prefix).region("us-east-1")
                .endpoint(endpoint.map(URI::create)).pathStyle(endpoint.isPresent()).sseKey(sseKey).build();
    }

    private static ProviderSettings theirs(String bucket, String prefix, Optional<String> sseKey, String algorithm,
            Optional<String> endpoint, boolean storeLocal, boolean storeRemote) {
        return new ProviderSettings("homeserver.yaml /etc/hs.yaml line 7 (media_storage_providers[0])", bucket, prefix,
                endpoint, Optional.of("us-east-1"), sseKey.map(Secret::new), algorithm, "STANDARD", storeLocal,
                storeRemote);
    }

    @Test
    void matchingSettingsHaveNoFindings() {
        assertThat(ProviderCompatibility.compare(
                ours("media", "synapse/", Optional.of(KEY), Optional.of("https://s3.example.com")),
                theirs("media", "synapse/", Optional.of(KEY), "AES256", Optional.of("https://S3.example.com:443/"),
                        true, true)))
                .isEmpty();
    }

    @Test
    void bucketPrefixAndKeyMismatchesAreErrors() {
        List<Finding> findings = ProviderCompatibility.compare(
                ours("media", "synapse", Optional.of(KEY), Optional.empty()),
                theirs("other", "synapse/", Optional.of(OTHER_KEY), "AES256", Optional.empty(), true, true));

        assertThat(findings).extracting(Finding::severity, Finding::setting).containsExactlyInAnyOrder(
                tuple(Severity.ERROR, "offload.s3.bucket"),
                tuple(Severity.ERROR, "offload.s3.prefix"),
                tuple(Severity.ERROR, "offload.s3.sse-customer-key"));
        assertThat(findings).allSatisfy(f -> assertThat(f.message()).doesNotContain(KEY).doesNotContain(OTHER_KEY)
                .contains("/etc/hs.yaml"));
        assertThat(findings).filteredOn(f -> f.setting().equals("offload.s3.prefix")).singleElement()
                .extracting(Finding::message).asString().contains("synapselocal_content/");
    }

    @Test
    void sseCPresenceOnOneSideOnlyIsAnError() {
        assertThat(ProviderCompatibility.compare(ours("m", "", Optional.of(KEY), Optional.empty()),
                theirs("m", "", Optional.empty(), "AES256", Optional.empty(), true, true)))
                .singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.ERROR);
                    assertThat(f.message()).contains("has no sse_customer_key");
                });
        assertThat(ProviderCompatibility.compare(ours("m", "", Optional.empty(), Optional.empty()),
                theirs("m", "", Optional.of(KEY), "AES256", Optional.empty(), true, true)))
                .singleElement().satisfies(f -> assertThat(f.message()).contains("we have none").doesNotContain(KEY));
    }

    @Test
    void providerKeyOfTheWrongLengthAndAlgorithmMismatch() {
        assertThat(ProviderCompatibility.compare(ours("m", "", Optional.of(KEY), Optional.empty()),
                theirs("m", "", Optional.of("short"), "AES128", Optional.empty(), true, true)))
                .anySatisfy(f -> {
                    assertThat(f.setting()).isEqualTo("offload.s3.sse-customer-key");
                    assertThat(f.message()).contains("but is 5 bytes").doesNotContain("short");
                })
                .anySatisfy(f -> assertThat(f.setting()).isEqualTo("offload.s3.sse-customer-algorithm"));
    }

    @Test
    void endpointDifferenceAndStoreFlagsAreWarnings() {
        List<Finding> findings = ProviderCompatibility.compare(
                ours("m", "", Optional.empty(), Optional.of("http://minio:9000")),
                theirs("m", "", Optional.empty(), "AES256", Optional.of("https://s3.example.com"), false, false));

        assertThat(findings).hasSize(3).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
        assertThat(findings).anySatisfy(f -> assertThat(f.message()).contains("http://minio:9000")
                .contains("https://s3.example.com").contains("internal and a public name"));
        assertThat(findings).anySatisfy(f -> assertThat(f.message()).contains("store_local false"));
        assertThat(findings).anySatisfy(f -> assertThat(f.message()).contains("store_remote false")
                .contains("include-remote"));
    }
}

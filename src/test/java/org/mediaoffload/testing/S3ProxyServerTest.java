package org.mediaoffload.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class S3ProxyServerTest {
    @Test
    void latencyServerServesOverHttpsWithTheExportedCertificate() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.builder().latency(Duration.ofMillis(20)).start()) {
            server.createBucket("latency");
            server.adminClient().putObject(b -> b.bucket("latency").key("k"), RequestBody.fromString("hello"));

            assertThat(server.endpoint().getScheme()).isEqualTo("https");
            assertThat(server.caBundlePath()).content().startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(server.adminClient().getObjectAsBytes(b -> b.bucket("latency").key("k")).asUtf8String())
                    .isEqualTo("hello");
        }
    }
}

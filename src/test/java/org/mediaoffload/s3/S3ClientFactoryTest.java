package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.Secret;
import org.mediaoffload.testing.S3ConfigBuilder;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3TestConfigs;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;

class S3ClientFactoryTest extends S3ProxyTestBase {

    @TempDir
    Path dir;

    @BeforeAll
    static void createBucket() {
        server.createBucket("factory");
    }

    /** The server's keys and certificate, no session token: each test changes what it is about. */
    S3ConfigBuilder base() {
        return S3ConfigBuilder.from(S3TestConfigs.forServer(server, "factory", "", Optional.empty()));
    }

    @Test
    void caBundleWithSeveralCertificatesIsTrusted() throws IOException {
        String pem = Files.readString(server.caBundlePath());
        Path bundle = Files.writeString(dir.resolve("bundle.pem"), pem + "\n" + pem);
        S3Config config = base().caBundle(Optional.of(bundle)).build();

        try (S3Client client = S3ClientFactory.create(config)) {
            assertThat(client.headBucket(b -> b.bucket("factory")).sdkHttpResponse().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unreadableOrEmptyCaBundleNamesTheSetting() throws IOException {
        Path missing = dir.resolve("missing.pem");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        for (Path bad : new Path[] {missing, notPem}) {
            S3Config config = base().caBundle(Optional.of(bad)).build();
            assertThatThrownBy(() -> S3ClientFactory.create(config))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offload.s3.ca-bundle")
                    .hasMessageContaining(bad.toString());
        }
    }

    @Test
    void missingRegionNamesTheSetting() {
        S3Config noRegion = base().region(" ").build();

        assertThatThrownBy(() -> S3ClientFactory.create(noRegion)).hasMessageContaining("offload.s3.region");
    }

    @Test
    void halfConfiguredKeysAreRejectedWithoutRevealingThem() {
        Secret id = new Secret("AKIAEXAMPLEID");
        S3Config config = base().accessKeyId(Optional.of(id)).secretAccessKey(Optional.empty()).build();

        assertThatThrownBy(() -> S3ClientFactory.create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offload.s3.secret-access-key")
                .hasMessageNotContaining("AKIAEXAMPLEID");
    }

    @Test
    void sessionTokenIsSentWithStaticKeys() {
        S3Config config = base().credentials("id", "secret").sessionToken(Optional.of(new Secret("token"))).build();

        try (S3Client client = S3ClientFactory.create(config)) {
            AwsCredentialsIdentity identity = client.serviceClientConfiguration().credentialsProvider()
                    .resolveIdentity().join();
            assertThat(identity).isInstanceOfSatisfying(AwsSessionCredentialsIdentity.class,
                    s -> assertThat(s.sessionToken()).isEqualTo("token"));
            assertThat(identity.accessKeyId()).isEqualTo("id");
        }
    }

    @Test
    void withoutKeysTheDefaultChainIsUsed() {
        S3Config config = base().accessKeyId(Optional.empty()).secretAccessKey(Optional.empty()).build();

        try (S3Client client = S3ClientFactory.create(config)) {
            assertThat(client.serviceClientConfiguration().credentialsProvider().getClass().getSimpleName())
                    .isEqualTo("DefaultCredentialsProvider");
        }
    }
}

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

    static S3Config with(S3Config c, Optional<Path> caBundle, Optional<Secret> id, Optional<Secret> secret,
            Optional<Secret> token) {
        return new S3Config(c.bucket(), c.prefix(), c.region(), c.endpoint(), c.pathStyle(), id, secret, token,
                c.storageClass(), c.sseCustomerKey(), caBundle, c.rewriteUnreadable(), c.concurrency(),
                c.multipartThreshold(), c.multipartPartSize(), c.maxAttempts(), c.requestTimeout(), c.bandwidthLimit());
    }

    S3Config base() {
        return S3TestConfigs.forServer(server, "factory", "", Optional.empty());
    }

    @Test
    void caBundleWithSeveralCertificatesIsTrusted() throws IOException {
        String pem = Files.readString(server.caBundlePath());
        Path bundle = Files.writeString(dir.resolve("bundle.pem"), pem + "\n" + pem);
        S3Config config = with(base(), Optional.of(bundle), base().accessKeyId(), base().secretAccessKey(),
                Optional.empty());

        try (S3Client client = S3ClientFactory.create(config)) {
            assertThat(client.headBucket(b -> b.bucket("factory")).sdkHttpResponse().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unreadableOrEmptyCaBundleNamesTheSetting() throws IOException {
        Path missing = dir.resolve("missing.pem");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        for (Path bad : new Path[] {missing, notPem}) {
            S3Config config = with(base(), Optional.of(bad), base().accessKeyId(), base().secretAccessKey(),
                    Optional.empty());
            assertThatThrownBy(() -> S3ClientFactory.create(config))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offload.s3.ca-bundle")
                    .hasMessageContaining(bad.toString());
        }
    }

    @Test
    void missingRegionNamesTheSetting() {
        S3Config c = base();
        S3Config noRegion = new S3Config(c.bucket(), c.prefix(), " ", c.endpoint(), c.pathStyle(), c.accessKeyId(),
                c.secretAccessKey(), c.sessionToken(), c.storageClass(), c.sseCustomerKey(), c.caBundle(), false,
                c.concurrency(), c.multipartThreshold(), c.multipartPartSize(), c.maxAttempts(), c.requestTimeout(), 0);

        assertThatThrownBy(() -> S3ClientFactory.create(noRegion)).hasMessageContaining("offload.s3.region");
    }

    @Test
    void halfConfiguredKeysAreRejectedWithoutRevealingThem() {
        Secret id = new Secret("AKIAEXAMPLEID");
        S3Config config = with(base(), base().caBundle(), Optional.of(id), Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> S3ClientFactory.create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offload.s3.secret-access-key")
                .hasMessageNotContaining("AKIAEXAMPLEID");
    }

    @Test
    void sessionTokenIsSentWithStaticKeys() {
        S3Config config = with(base(), base().caBundle(), Optional.of(new Secret("id")),
                Optional.of(new Secret("secret")), Optional.of(new Secret("token")));

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
        S3Config config = with(base(), base().caBundle(), Optional.empty(), Optional.empty(), Optional.empty());

        try (S3Client client = S3ClientFactory.create(config)) {
            assertThat(client.serviceClientConfiguration().credentialsProvider().getClass().getSimpleName())
                    .isEqualTo("DefaultCredentialsProvider");
        }
    }
}

package org.mediaoffload.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.middleware.Middlewares;
import org.mediaoffload.s3.S3ClientFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy in-process over HTTPS, with the in-memory {@code transient-nio2} store, which enforces SSE-C like
 * AWS (HEAD/GET without the key or with another key fail with 400), verifies Content-MD5 (BadDigest) and
 * keeps the storage class. Ephemeral port; a generated EC
 * certificate whose PEM ({@link #caBundlePath()}) is meant for our real {@code ca-bundle} setting.
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start()) {
 *     s3.createBucket("media");
 *     S3Config config = S3TestConfigs.forServer(s3, "media", "", Optional.of(KEY));
 * }
 * }</pre>
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;
    private final TestCertificate certificate;
    private final S3Client adminClient;

    private S3ProxyServer(Builder builder) throws Exception {
        this.certificate = TestCertificate.get();
        this.accessKey = "test-access-" + UUID.randomUUID().toString().substring(0, 8);
        this.secretKey = "test-secret-" + UUID.randomUUID();
        Properties props = new Properties();
        props.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
        props.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:0");
        props.setProperty("s3proxy.keystore-path", certificate.keystore().toString());
        props.setProperty("s3proxy.keystore-password", certificate.password());
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", accessKey);
        props.setProperty("s3proxy.credential", secretKey);
        String provider = builder.filesystemBaseDir == null ? "transient-nio2" : "filesystem-nio2";
        props.setProperty("jclouds.provider", provider);
        if (builder.filesystemBaseDir != null) {
            props.setProperty("jclouds.filesystem.basedir", builder.filesystemBaseDir.toString());
        }
        if (builder.latency != null) {
            props.setProperty("s3proxy.latency-blobstore.*.latency", Long.toString(builder.latency.toMillis()));
        }
        BlobStore store = Middlewares.wrap(BlobStores.create(provider, props), props,
                p -> BlobStores.create(provider, p));
        this.proxy = S3Proxy.Builder.fromProperties(props).blobStore(store).build();
        proxy.start();
        Awaitility.await("S3Proxy start").atMost(Duration.ofSeconds(30))
                .until(() -> "STARTED".equals(proxy.getState()));
        this.adminClient = S3ClientFactory.create(S3TestConfigs.forServer(this, "admin-unused", "", Optional.empty()));
    }

    /** A server with default settings. */
    public static S3ProxyServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code https://127.0.0.1:<port>}; the certificate is valid for that address. */
    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + proxy.getSecurePort());
    }

    public int securePort() {
        return proxy.getSecurePort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** PEM of the server's certificate, for {@code offload.s3.ca-bundle}. */
    public Path caBundlePath() {
        return certificate.pem();
    }

    public void createBucket(String name) {
        adminClient.createBucket(b -> b.bucket(name));
    }

    /** A client trusting the server, no SSE-C, for assertions; closed with the server. */
    public S3Client adminClient() {
        return adminClient;
    }

    @Override
    public void close() {
        try {
            adminClient.close();
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy", e);
        }
    }

    public static final class Builder {
        private Duration latency;
        private Path filesystemBaseDir;

        private Builder() {}

        /** Delay every storage operation (S3Proxy's latency middleware), to make a WAN store. */
        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /**
         * Use S3Proxy's {@code filesystem-nio2} store under {@code baseDir} instead of the in-memory one: it
         * answers NotImplemented to any SSE-C header, like a bucket that blocks SSE-C.
         */
        public Builder filesystemStore(Path baseDir) {
            this.filesystemBaseDir = baseDir;
            return this;
        }

        public S3ProxyServer start() {
            try {
                return new S3ProxyServer(this);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy", e);
            }
        }
    }
}

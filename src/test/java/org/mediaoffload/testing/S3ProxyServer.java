package org.mediaoffload.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.middleware.Middlewares;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy in-process over HTTPS on 127.0.0.1, with the in-memory {@code transient-nio2} store, which enforces
 * SSE-C like AWS (HEAD/GET without the key or with another key fail with 400), verifies Content-MD5 (BadDigest)
 * and keeps the storage class. Ephemeral port; a generated EC certificate whose PEM ({@link #caBundlePath()}) is
 * meant for our real {@code ca-bundle} setting.
 *
 * <p>The only S3 server of the project: the tests, the benchmark's {@code BenchServer} and the demo jar all start
 * it through here. It is test code, so the production jar carries no S3 server (the demo jar packs this class).
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start()) {
 *     s3.createBucket("media");
 *     S3Config config = S3TestConfigs.forServer(s3, "media", "", Optional.of(KEY));
 * }
 * }</pre>
 */
public final class S3ProxyServer implements S3TestServer {
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final Access access;
    private final S3Client adminClient;

    private S3ProxyServer(Builder builder) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        this.access = new Access(builder.accessKey, builder.secretKey, certificate.pem());
        Properties props = new Properties();
        // S3Proxy needs a plain endpoint too; it is bound to loopback, and only the plain-HTTP tests use it.
        props.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
        props.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:0");
        props.setProperty("s3proxy.keystore-path", certificate.keystore().toString());
        props.setProperty("s3proxy.keystore-password", certificate.password());
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", builder.accessKey);
        props.setProperty("s3proxy.credential", builder.secretKey);
        String provider = builder.filesystemBaseDir == null ? "transient-nio2" : "filesystem-nio2";
        props.setProperty("jclouds.provider", provider);
        if (builder.filesystemBaseDir != null) {
            props.setProperty("jclouds.filesystem.basedir", builder.filesystemBaseDir.toString());
        }
        if (builder.latency != null) {
            props.setProperty("s3proxy.latency-blobstore.*.latency", Long.toString(builder.latency.toMillis()));
        }
        BlobStore store = builder.middleware.apply(Middlewares.wrap(BlobStores.create(provider, props), props,
                p -> BlobStores.create(provider, p)));
        this.proxy = S3Proxy.Builder.fromProperties(props).blobStore(store).build();
        proxy.start();
        try {
            awaitStarted();
            this.adminClient = S3TestServer.newAdminClient(this);
        } catch (Exception | Error e) {
            // Jetty's threads are not daemons: a server that failed half-way must not keep the JVM alive.
            proxy.stop();
            throw e;
        }
    }

    /** A server with default settings. */
    public static S3ProxyServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public S3Store.Kind kind() {
        return S3Store.Kind.S3PROXY;
    }

    @Override
    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + proxy.getSecurePort());
    }

    /**
     * The plain-HTTP endpoint S3Proxy also listens on (loopback only), for the tests of an {@code http://}
     * {@code offload.s3.endpoint}; everything else uses {@link #endpoint()}.
     */
    public URI plainEndpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public Access access() {
        return access;
    }

    @Override
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

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
            }
            // Not a test's wait: S3Proxy offers no start callback, and this loop ends in milliseconds.
            Thread.sleep(20);
        }
    }

    public static final class Builder {
        private Duration latency;
        private Path filesystemBaseDir;
        private UnaryOperator<BlobStore> middleware = UnaryOperator.identity();
        private String accessKey = "access-" + UUID.randomUUID().toString().substring(0, 8);
        private String secretKey = "secret-" + UUID.randomUUID();

        private Builder() {}

        /**
         * Wrap S3Proxy's store last, e.g. in a {@code ForwardingBlobStore} that misbehaves like some stores do, or
         * one that counts operations (the benchmark).
         */
        public Builder middleware(UnaryOperator<BlobStore> middleware) {
            this.middleware = middleware;
            return this;
        }

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

        /** Fixed keys instead of random ones (the benchmark's other processes know them). */
        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        public S3ProxyServer start() {
            try {
                return new S3ProxyServer(this);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy: " + e.getMessage(), e);
            }
        }
    }
}

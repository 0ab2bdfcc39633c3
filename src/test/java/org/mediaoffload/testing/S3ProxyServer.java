package org.mediaoffload.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.mediaoffload.demo.EmbeddedS3;
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
public final class S3ProxyServer implements S3TestServer {
    public static final String REGION = EmbeddedS3.REGION;

    private final EmbeddedS3 s3;
    private final S3Client adminClient;

    private S3ProxyServer(Builder builder) {
        this.s3 = EmbeddedS3.start(new EmbeddedS3.Options(Optional.ofNullable(builder.latency),
                Optional.ofNullable(builder.filesystemBaseDir), builder.middleware));
        this.adminClient = S3ClientFactory.create(S3TestConfigs.forServer(this, "admin-unused", "", Optional.empty()));
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

    /** {@code https://127.0.0.1:<port>}; the certificate is valid for that address. */
    @Override
    public URI endpoint() {
        return s3.endpoint();
    }

    @Override
    public int securePort() {
        return s3.securePort();
    }

    @Override
    public String accessKey() {
        return s3.accessKey();
    }

    @Override
    public String secretKey() {
        return s3.secretKey();
    }

    /** PEM of the server's certificate, for {@code offload.s3.ca-bundle}. */
    @Override
    public Path caBundlePath() {
        return s3.caBundlePath();
    }

    @Override
    public void createBucket(String name) {
        adminClient.createBucket(b -> b.bucket(name));
    }

    /** A client trusting the server, no SSE-C, for assertions; closed with the server. */
    @Override
    public S3Client adminClient() {
        return adminClient;
    }

    @Override
    public void close() {
        try {
            adminClient.close();
            s3.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy", e);
        }
    }

    public static final class Builder {
        private Duration latency;
        private Path filesystemBaseDir;
        private UnaryOperator<BlobStore> middleware = UnaryOperator.identity();

        private Builder() {}

        /** Wrap S3Proxy's store, e.g. in a {@code ForwardingBlobStore} that misbehaves like some stores do. */
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

        public S3ProxyServer start() {
            try {
                return new S3ProxyServer(this);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy", e);
            }
        }
    }
}

package org.mediaoffload.demo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.middleware.Middlewares;

/**
 * S3Proxy in-process over HTTPS on 127.0.0.1 with an ephemeral port. Its in-memory {@code transient-nio2} store
 * enforces SSE-C like AWS (HEAD/GET without our key fail), verifies Content-MD5 and keeps the storage class. Used
 * by the {@code demo} command and by the tests; never by production runs.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;
    private final SelfSignedCertificate certificate;

    /**
     * @param latency           S3Proxy's latency middleware: a delay per storage operation, for a WAN-like store
     * @param filesystemBaseDir use {@code filesystem-nio2} there instead of memory (it refuses any SSE-C header)
     */
    /** @param middleware wraps the store last (tests put faults there: a store that misbehaves like some do) */
    public record Options(Optional<Duration> latency, Optional<Path> filesystemBaseDir,
            UnaryOperator<BlobStore> middleware) {
        public Options(Optional<Duration> latency, Optional<Path> filesystemBaseDir) {
            this(latency, filesystemBaseDir, UnaryOperator.identity());
        }

        public static Options defaults() {
            return new Options(Optional.empty(), Optional.empty());
        }
    }

    private EmbeddedS3(Options options) throws Exception {
        this.certificate = SelfSignedCertificate.get();
        this.accessKey = "access-" + UUID.randomUUID().toString().substring(0, 8);
        this.secretKey = "secret-" + UUID.randomUUID();
        Properties props = new Properties();
        // S3Proxy needs a plain endpoint too; it is bound to loopback and nothing is sent to it.
        props.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
        props.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:0");
        props.setProperty("s3proxy.keystore-path", certificate.keystore().toString());
        props.setProperty("s3proxy.keystore-password", certificate.password());
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", accessKey);
        props.setProperty("s3proxy.credential", secretKey);
        String provider = options.filesystemBaseDir().isEmpty() ? "transient-nio2" : "filesystem-nio2";
        props.setProperty("jclouds.provider", provider);
        options.filesystemBaseDir().ifPresent(dir -> props.setProperty("jclouds.filesystem.basedir", dir.toString()));
        options.latency().ifPresent(l -> props.setProperty("s3proxy.latency-blobstore.*.latency",
                Long.toString(l.toMillis())));
        BlobStore store = options.middleware().apply(Middlewares.wrap(BlobStores.create(provider, props), props,
                p -> BlobStores.create(provider, p)));
        this.proxy = S3Proxy.Builder.fromProperties(props).blobStore(store).build();
        proxy.start();
        awaitStarted();
    }

    public static EmbeddedS3 start(Options options) {
        try {
            return new EmbeddedS3(options);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded S3 endpoint: " + e.getMessage(), e);
        }
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

    @Override
    public void close() throws Exception {
        proxy.stop();
    }

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
            }
            Thread.sleep(20);
        }
    }
}

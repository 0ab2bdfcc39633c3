package org.mediaoffload.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.mediaoffload.s3.S3ClientFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server the tests talk to over HTTPS with SSE-C: {@link S3ProxyServer} (in-process, one per test class)
 * or {@link RgwServer} (Ceph RADOS Gateway, one per test JVM). Tests written against this run on both; see
 * {@link S3Store} for how a test class picks one.
 */
public interface S3TestServer extends AutoCloseable {
    /** Which implementation, for test names and skip reasons. */
    S3Store.Kind kind();

    /** {@code https://127.0.0.1:<port>}; the certificate is valid for that address. */
    URI endpoint();

    /** The port of {@link #endpoint()}, e.g. for a {@link ToxicProxy} in front of it. */
    default int securePort() {
        return endpoint().getPort();
    }

    /** What a client needs besides the endpoint. */
    record Access(String accessKey, String secretKey, Path caBundlePath) {}

    Access access();

    default String accessKey() {
        return access().accessKey();
    }

    default String secretKey() {
        return access().secretKey();
    }

    /** PEM of the server's certificate, for {@code offload.s3.ca-bundle}. */
    default Path caBundlePath() {
        return access().caBundlePath();
    }

    default void createBucket(String name) {
        adminClient().createBucket(b -> b.bucket(name));
    }

    /** A client trusting the server, no SSE-C, for assertions; closed with the server. */
    S3Client adminClient();

    /** What an implementation returns as {@link #adminClient()}: our own client factory, with the server's keys. */
    static S3Client newAdminClient(S3TestServer server) {
        return S3ClientFactory.create(S3TestConfigs.forServer(server, "admin-unused", "", Optional.empty()));
    }

    /** Releases what this handle owns (S3Proxy stops; the JVM's shared RGW keeps running until the JVM exits). */
    @Override
    void close();
}

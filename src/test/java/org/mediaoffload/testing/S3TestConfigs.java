package org.mediaoffload.testing;

import java.net.URI;
import java.util.Optional;
import org.mediaoffload.config.S3Config;

/** Complete {@link S3Config}s for tests against an {@link S3TestServer} (S3Proxy or Ceph RGW). */
public final class S3TestConfigs {
    public static final long MIB = 1024 * 1024;

    private S3TestConfigs() {}

    /**
     * Concurrency 8, multipart from 8 MiB in 5 MiB parts (so a ~12 MiB file is multipart), 3 attempts,
     * path style, the server's certificate as {@code ca-bundle}, storage class STANDARD_IA (not the default,
     * so tests can see it stored).
     *
     * @param sseKey the configured SSE-C string (32 UTF-8 bytes), as in {@code offload.s3.sse-customer-key}
     */
    public static S3Config forServer(S3TestServer server, String bucket, String prefix, Optional<String> sseKey) {
        return forEndpoint(server, server.endpoint(), bucket, prefix, sseKey);
    }

    /** As {@link #forServer}, but talking to {@code endpoint} (e.g. a {@link ToxicProxy} in front of it). */
    public static S3Config forEndpoint(S3TestServer server, URI endpoint, String bucket, String prefix,
            Optional<String> sseKey) {
        return S3ConfigBuilder.forBucket(bucket).prefix(prefix).endpoint(Optional.of(endpoint))
                .credentials(server.accessKey(), server.secretKey()).storageClass("STANDARD_IA").sseKey(sseKey)
                .caBundle(Optional.of(server.caBundlePath())).build();
    }
}

package org.mediaoffload.testing;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One S3Proxy per test class (it takes a second or two to start); tests make their own buckets. */
public abstract class S3ProxyTestBase {
    protected static S3ProxyServer server;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A new, empty bucket named {@code namePrefix-<random>}. */
    protected static String newBucket(String namePrefix) {
        String bucket = namePrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
        return bucket;
    }
}

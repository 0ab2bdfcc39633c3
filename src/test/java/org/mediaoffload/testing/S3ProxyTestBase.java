package org.mediaoffload.testing;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.opentest4j.TestAbortedException;

/**
 * One S3 server per test class: S3Proxy (it takes a second or two to start), or with {@link S3Store @S3Store(RGW)}
 * on the class the JVM's Ceph RGW. Tests make their own buckets.
 */
public abstract class S3ProxyTestBase {
    protected static S3TestServer server;
    private static TestAbortedException unavailable;

    @BeforeAll
    static void startServer(TestInfo info) {
        try {
            server = S3Store.Kind.of(info.getTestClass().orElseThrow()).open();
        } catch (TestAbortedException e) {
            // Skipped in @BeforeAll, a class's tests would vanish from the report; each test skips with the reason.
            unavailable = e;
        }
    }

    @BeforeEach
    void requireServer() {
        if (unavailable != null) {
            throw unavailable;
        }
    }

    @AfterAll
    static void stopServer() {
        unavailable = null;
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** A new, empty bucket named {@code namePrefix-<random>}. */
    protected static String newBucket(String namePrefix) {
        String bucket = namePrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
        return bucket;
    }
}

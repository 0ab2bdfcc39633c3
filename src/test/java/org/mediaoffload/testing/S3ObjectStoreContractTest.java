package org.mediaoffload.testing;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.s3.S3ClientFactory;
import org.mediaoffload.s3.S3ObjectStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ObjectStoreContractTest} against {@link S3ObjectStore} on S3Proxy over HTTPS with SSE-C ({@link S3Store} on a
 * subclass picks another server). The server lives as long as the class, as in {@link S3ProxyTestBase} (which this
 * cannot extend: the contract's base class is shared with the in-memory store's tests).
 */
class S3ObjectStoreContractTest extends ObjectStoreContractTest {
    private static S3TestServer server;
    private String bucket;

    /** Started by the class's first test; a server that cannot start (no RGW here) skips each test with the reason. */
    @BeforeEach
    void newBucket() {
        if (server == null) {
            server = S3Store.Kind.of(getClass()).open();
        }
        bucket = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    S3Store.Kind kind() {
        return server.kind();
    }

    @Override
    boolean realS3Proxy() {
        return server.kind() == S3Store.Kind.S3PROXY;
    }

    @Override
    ObjectStore newStore(Optional<String> sseKey) {
        return store(S3TestConfigs.forServer(server, bucket, "", sseKey));
    }

    @Override
    ObjectStore storeOfMissingBucket() {
        return store(S3TestConfigs.forServer(server, "no-such-bucket-" + bucket, "", Optional.of(KEY)));
    }

    private S3ObjectStore store(S3Config config) {
        return new S3ObjectStore(S3ClientFactory.connect(config), config, observer);
    }

    /** A bucket policy denying s3:ListBucket to everyone (Ceph RGW applies it to the bucket's owner too). */
    @Override
    boolean denyListing() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::" + bucket + "\"}]}";
        try {
            server.adminClient().putBucketPolicy(b -> b.bucket(bucket).policy(policy));
            return true;
        } catch (S3Exception e) {
            return false; // S3Proxy: NotImplemented
        }
    }

    @Override
    void putPlain(String key, byte[] data) {
        server.adminClient().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
    }
}

package org.mediaoffload.testing;

import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.mediaoffload.pipeline.ObjectStore;

/** {@link ObjectStoreContractTest} against {@link InMemoryObjectStore} imitating S3Proxy. */
class InMemoryObjectStoreContractTest extends ObjectStoreContractTest {
    private InMemoryObjectStore bucket;

    @Override
    S3Store.Kind kind() {
        return S3Store.Kind.S3PROXY;
    }

    @BeforeEach
    void newBucket() {
        bucket = InMemoryObjectStore.builder().like(kind()).multipart(8L * MIB, 5L * MIB).observer(observer).build();
    }

    @Override
    ObjectStore newStore(Optional<String> sseKey) {
        return bucket.withSseKey(sseKey);
    }

    @Override
    ObjectStore storeOfMissingBucket() {
        InMemoryObjectStore missing = InMemoryObjectStore.builder().like(kind()).build();
        missing.removeBucket();
        return missing;
    }

    @Override
    boolean denyListing() {
        bucket.denyListing();
        return true;
    }

    @Override
    void putPlain(String key, byte[] data) {
        bucket.seed(bucket.object(key, data).plain());
    }
}

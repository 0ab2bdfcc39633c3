package org.mediaoffload.testing;

/** {@link ObjectStoreContractTest} against {@link InMemoryObjectStore} imitating Ceph RGW. */
class InMemoryObjectStoreRgwContractTest extends InMemoryObjectStoreContractTest {
    @Override
    S3Store.Kind kind() {
        return S3Store.Kind.RGW;
    }
}

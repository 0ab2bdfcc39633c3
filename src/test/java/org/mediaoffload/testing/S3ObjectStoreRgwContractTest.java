package org.mediaoffload.testing;

/** {@link ObjectStoreContractTest} against {@link org.mediaoffload.s3.S3ObjectStore} on Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class S3ObjectStoreRgwContractTest extends S3ObjectStoreContractTest {}

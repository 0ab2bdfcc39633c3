package org.mediaoffload.s3;

import org.mediaoffload.testing.S3Store;

/** {@link S3ObjectStoreTest} against Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class S3ObjectStoreRgwTest extends S3ObjectStoreTest {}

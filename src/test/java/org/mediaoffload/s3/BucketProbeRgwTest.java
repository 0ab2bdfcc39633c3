package org.mediaoffload.s3;

import org.mediaoffload.testing.S3Store;

/** {@link BucketProbeTest} against Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class BucketProbeRgwTest extends BucketProbeTest {}

package org.mediaoffload.s3;

import org.mediaoffload.testing.S3Store;

/** {@link AuditBucketDeleteTest} against Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class AuditBucketDeleteRgwTest extends AuditBucketDeleteTest {}

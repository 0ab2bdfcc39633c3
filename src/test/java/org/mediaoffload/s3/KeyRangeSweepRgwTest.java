package org.mediaoffload.s3;

import org.mediaoffload.testing.S3Store;

/** {@link KeyRangeSweepTest} against Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class KeyRangeSweepRgwTest extends KeyRangeSweepTest {}

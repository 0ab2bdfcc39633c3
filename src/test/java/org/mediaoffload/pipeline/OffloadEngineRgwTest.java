package org.mediaoffload.pipeline;

import org.mediaoffload.testing.S3Store;

/** {@link OffloadEngineTest} against Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class OffloadEngineRgwTest extends OffloadEngineTest {}

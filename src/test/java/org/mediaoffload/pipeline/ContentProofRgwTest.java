package org.mediaoffload.pipeline;

import org.mediaoffload.testing.S3Store;

/** {@link ContentProofTest} against Ceph RGW, whose SSE-C ETags are plaintext MD5s and whose checksums are claims. */
@S3Store(S3Store.Kind.RGW)
class ContentProofRgwTest extends ContentProofTest {}

package org.mediaoffload;

import org.mediaoffload.testing.S3Store;

/** {@link DaemonEndToEndTest} against Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class DaemonEndToEndRgwTest extends DaemonEndToEndTest {}

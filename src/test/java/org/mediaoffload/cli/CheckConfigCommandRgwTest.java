package org.mediaoffload.cli;

import org.mediaoffload.testing.S3Store;

/** {@link CheckConfigCommandTest} against Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class CheckConfigCommandRgwTest extends CheckConfigCommandTest {}

package org.mediaoffload.cli;

import org.mediaoffload.testing.S3Store;

/** {@link RunOnceCommandTest} against Ceph RGW. */
@S3Store(S3Store.Kind.RGW)
class RunOnceCommandRgwTest extends RunOnceCommandTest {}

package org.mediaoffload.pipeline;

import java.io.IOException;

/**
 * The local file is no longer the one the scan saw (another inode, size, mtime or ctime), or its path now leads out
 * of the media store (a symlink). Nothing of it is uploaded or deleted; the file counts as failed for this run.
 */
public final class LocalFileChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    public LocalFileChangedException(String message) {
        super(message);
    }
}

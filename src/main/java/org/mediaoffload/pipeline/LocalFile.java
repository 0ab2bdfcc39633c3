package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A regular file of a media, as stat'ed (without following links) when the run looked at it.
 *
 * @param relativePath path below the media store with '/' separators; the S3 key is prefix + this
 * @param original     true for the original, false for a thumbnail
 * @param identity     device, inode, size, mtime and ctime at the scan: every later open, and the deletion, insist on
 *                     the same
 */
public record LocalFile(String relativePath, Path path, long size, long mtimeMs, boolean original,
        FileIdentity identity) {
    public LocalFile {
        requireNonNull(relativePath, "relativePath is null");
        requireNonNull(path, "path is null");
        requireNonNull(identity, "identity is null");
    }
}

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A regular file of a media, as stat'ed (without following links) when the run looked at it.
 *
 * @param relativePath path below the media store with '/' separators; the S3 key is prefix + this
 * @param original     true for the original, false for a thumbnail
 * @param identity     device, inode, size, mtime and ctime at the scan: every later open, and the deletion, insist on
 *                     the same
 * @param sha256       for an original whose row has one, Synapse's SHA-256 of its content (lowercase hex): every read
 *                     that uploads or proves the file insists on it ({@link SynapseHash}); empty for thumbnails
 */
public record LocalFile(String relativePath, Path path, long size, long mtimeMs, boolean original,
        FileIdentity identity, Optional<String> sha256) {
    public LocalFile {
        requireNonNull(relativePath, "relativePath is null");
        requireNonNull(path, "path is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(sha256, "sha256 is null");
    }

    /** A file without Synapse's hash (a thumbnail, or media stored before Synapse 1.128). */
    public LocalFile(String relativePath, Path path, long size, long mtimeMs, boolean original,
            FileIdentity identity) {
        this(relativePath, path, size, mtimeMs, original, identity, Optional.empty());
    }
}

package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * One file of a media, as found on disk.
 *
 * @param relativePath store-relative with {@code /} (the S3 key is prefix + this)
 * @param path         the real path it was read at
 * @param original     the media's original (false for a thumbnail)
 */
public record LocalFile(String relativePath, Path path, long size, long mtimeMs, boolean original) {
    public LocalFile {
        requireNonNull(relativePath, "relativePath is null");
        requireNonNull(path, "path is null");
    }
}

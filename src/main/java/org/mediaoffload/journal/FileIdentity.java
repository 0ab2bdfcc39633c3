package org.mediaoffload.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * Which file a path names right now: the file key (device and inode on Unix), without following links. Two
 * identities are equal only for the same file, so a file deleted and created again, or replaced by a rename,
 * compares unequal to the one opened before.
 */
record FileIdentity(Object fileKey) {

    FileIdentity {
        Objects.requireNonNull(fileKey, "fileKey is null");
    }

    /** Empty when nothing is at {@code path}; fails where the filesystem has no file keys (we need them). */
    static Optional<FileIdentity> of(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (attrs.fileKey() == null) {
            throw new IOException("the filesystem of " + path + " reports no file identity (device and inode)");
        }
        return Optional.of(new FileIdentity(attrs.fileKey()));
    }

    /** How {@code path} compares with this identity, for messages: null when it is still this file. */
    String changeAt(Path path) {
        try {
            Optional<FileIdentity> now = of(path);
            if (now.isEmpty()) {
                return "was deleted";
            }
            return now.get().equals(this) ? null : "was replaced by another file";
        } catch (IOException e) {
            return "cannot be checked (" + e.getMessage() + ")";
        }
    }

    /** Stable text for the journal's holder record. */
    String text() {
        return String.valueOf(fileKey);
    }
}

package org.mediaoffload.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/** Writes real files in a media store layout under a temp dir. */
final class StoreFixture {
    static final long MTIME_MS = 1_700_000_000_000L;

    private final Path root;

    StoreFixture(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Writes {@code size} bytes at a store-relative path, with a fixed mtime. */
    Path file(String relativePath, int size) {
        try {
            Path path = root.resolve(relativePath);
            Files.createDirectories(path.getParent());
            Files.write(path, new byte[size]);
            Files.setLastModifiedTime(path, FileTime.fromMillis(MTIME_MS));
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir(String relativePath) {
        try {
            return Files.createDirectories(root.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path symlink(String relativePath, Path target) {
        try {
            Path link = root.resolve(relativePath);
            Files.createDirectories(link.getParent());
            return Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves store-relative directories and proves they are where the layout says: the real path of the
 * directory must equal the real path of its top-level directory plus the relative components. The store root
 * and the four top-level directories may be symlinks (admins move them to other disks); any symlink below them
 * makes the real path differ and the directory is refused. Defence in depth behind id validation, and
 * symlink-aware where Synapse's own jail check ({@code normpath}) is not.
 */
final class StoreJail {

    /** A checked directory and the real top-level directory it lies in. */
    record Dir(Path realTop, Path real) {}

    private final MediaStoreLayout layout;

    StoreJail(MediaStoreLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
    }

    /**
     * @param relativeDir e.g. {@code remote_content/example.com:8448/aa/bb}
     * @return empty when the directory (or any parent) does not exist
     * @throws UnsafePathException when it exists but is not where the layout puts it, or is not a directory
     */
    Optional<Dir> directory(String relativeDir) {
        String[] parts = relativeDir.split("/", -1);
        if (!MediaStoreLayout.TOP_LEVEL_DIRS.contains(parts[0])) {
            throw new UnsafePathException("path " + MediaStoreLayout.quote(relativeDir)
                    + " is not below one of " + MediaStoreLayout.TOP_LEVEL_DIRS);
        }
        try {
            Path realTop = layout.root().resolve(parts[0]).toRealPath();
            Path expected = realTop;
            for (int i = 1; i < parts.length; i++) {
                if (!MediaStoreLayout.isValidComponent(parts[i])) {
                    throw new UnsafePathException("path " + MediaStoreLayout.quote(relativeDir)
                            + " has an invalid component " + MediaStoreLayout.quote(parts[i]));
                }
                expected = expected.resolve(parts[i]);
            }
            Path real = expected.toRealPath();
            if (!real.equals(expected)) {
                throw new UnsafePathException(expected + " resolves to " + real
                        + ": a symlink below " + realTop + " (never followed by synapse-media-offload)");
            }
            if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafePathException(real + " should be a directory in the media store layout");
            }
            return Optional.of(new Dir(realTop, real));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + layout.root().resolve(relativeDir) + ": " + e, e);
        }
    }
}

package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalStore.DeleteOutcome;

/**
 * Deletes a local file after it was offloaded, only if it is still exactly the file that was uploaded, then
 * prunes the directories this left empty. Unlike upstream's {@code os.removedirs}, pruning stops at the four
 * top-level store directories and never climbs out of the store. Every directory below the top-level one is opened
 * through its parent's handle without following links, and the file is unlinked through the same handle that was
 * used to check it ({@link StoreTree}).
 */
public final class LocalFileRemover {

    private final MediaStoreLayout layout;
    private final StoreTree tree;

    public LocalFileRemover(MediaStoreLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
        this.tree = new StoreTree(layout);
    }

    /**
     * Re-checks device, inode, size, mtime and ctime of {@code expected} without following links right before
     * unlinking it. A file rewritten in place, even with its mtime restored, has another ctime and is kept. Synapse
     * writes in place, so a write between this check and the unlink cannot be excluded entirely; the window is two
     * system calls.
     *
     * @throws UnsafePathException when the path is not where its relative path puts it in the store, or a directory
     *                             on the way is a symlink
     * @throws UncheckedIOException when the file cannot be read or deleted (permissions)
     */
    public DeleteOutcome delete(LocalFile expected) {
        requireNonNull(expected, "expected is null");
        String relative = expected.relativePath();
        int slash = relative.lastIndexOf('/');
        String name = relative.substring(slash + 1);
        if (slash <= 0 || name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new UnsafePathException("not a file path in the media store: " + MediaStoreLayout.quote(relative));
        }
        Path configured = layout.root().resolve(relative).normalize();
        if (!expected.path().toAbsolutePath().normalize().equals(configured)) {
            throw new UnsafePathException("refusing to delete " + expected.path() + ": its relative path "
                    + MediaStoreLayout.quote(relative) + " points to " + configured);
        }
        Optional<StoreTree.Dir> parent = tree.open(relative.substring(0, slash));
        if (parent.isEmpty()) {
            return DeleteOutcome.GONE;
        }
        try (StoreTree.Dir dir = parent.get()) {
            Optional<StoreTree.Entry> now = dir.stat(name);
            if (now.isEmpty()) {
                return DeleteOutcome.GONE;
            }
            if (now.get().identity().map(expected.identity()::sameFileElsewhere).orElse(false)) {
                // The same inode under another top-level directory: a hard-link snapshot the store path (or a
                // top-level symlink) now points at. Its name is not the store's to unlink.
                throw new UnsafePathException("refusing to delete " + configured + ": it is reached through another "
                        + relative.substring(0, relative.indexOf('/')) + " directory than at the scan (the media"
                        + " store path or a top-level symlink was re-pointed since)");
            }
            if (!now.get().identity().map(expected.identity()::equals).orElse(false)) {
                return DeleteOutcome.CHANGED;
            }
            try {
                dir.unlink(name);
            } catch (NoSuchFileException e) {
                return DeleteOutcome.GONE;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + configured + ": " + e, e);
            }
            dir.pruneEmpty();
            return DeleteOutcome.DELETED;
        }
    }
}

package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalStore.DeleteOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a local file after it was offloaded, only if it is still exactly the file that was uploaded, then
 * prunes the directories this left empty. Unlike upstream's {@code os.removedirs}, pruning stops at the four
 * top-level store directories and never climbs out of the store.
 */
public final class LocalFileRemover {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFileRemover.class);

    private final StoreJail jail;

    public LocalFileRemover(MediaStoreLayout layout) {
        this.jail = new StoreJail(requireNonNull(layout, "layout is null"));
    }

    /**
     * Re-stats {@code expected} without following links right before unlinking it. Synapse writes in place, so
     * a file rewritten between this check and the unlink cannot be excluded entirely; the window is a few
     * system calls.
     *
     * @throws UnsafePathException when the path is not where its relative path puts it in the store
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
        Optional<StoreJail.Dir> parent = jail.directory(relative.substring(0, slash));
        if (parent.isEmpty()) {
            return DeleteOutcome.GONE;
        }
        Path file = parent.get().real().resolve(name);
        if (!sameLocation(expected.path(), file)) {
            throw new UnsafePathException("refusing to delete " + expected.path() + ": its relative path "
                    + MediaStoreLayout.quote(relative) + " points to " + file);
        }
        Optional<BasicFileAttributes> now = LocalMediaFiles.attributes(file);
        if (now.isEmpty()) {
            return DeleteOutcome.GONE;
        }
        BasicFileAttributes a = now.get();
        if (!a.isRegularFile() || a.size() != expected.size()
                || LocalMediaFiles.mtimeMs(a) != expected.mtimeMs()) {
            return DeleteOutcome.CHANGED;
        }
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            return DeleteOutcome.GONE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e, e);
        }
        pruneEmptyParents(file.getParent(), parent.get().realTop());
        return DeleteOutcome.DELETED;
    }

    private static boolean sameLocation(Path given, Path checked) {
        Path absolute = given.toAbsolutePath().normalize();
        if (absolute.equals(checked)) {
            return true;
        }
        try {
            // The caller may hold the configured (symlinked) spelling of the same directory.
            return absolute.getFileName().equals(checked.getFileName())
                    && absolute.getParent().toRealPath().equals(checked.getParent());
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes empty directories upward, never {@code realTop} itself, never anything outside it. */
    private static void pruneEmptyParents(Path start, Path realTop) {
        for (Path dir = start; dir != null && !dir.equals(realTop) && dir.startsWith(realTop);
                dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException e) {
                return; // Normal: other media, or Synapse is writing here right now.
            } catch (NoSuchFileException e) {
                // Someone else pruned it; keep going up.
            } catch (IOException e) {
                LOG.debug("Not pruning {}: {}", dir, e.toString());
                return;
            }
        }
    }
}

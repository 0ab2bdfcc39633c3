package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalStore;
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
        String name = checkedName(expected);
        String relative = expected.relativePath();
        Optional<StoreTree.Dir> parent = tree.open(relative.substring(0, relative.lastIndexOf('/')));
        if (parent.isEmpty()) {
            return DeleteOutcome.GONE;
        }
        try (StoreTree.Dir dir = parent.get()) {
            DeleteOutcome outcome = deleteIn(dir, name, expected);
            if (outcome == DeleteOutcome.DELETED) {
                dir.pruneEmpty();
            }
            return outcome;
        }
    }

    /**
     * Deletes one media's files in their order, each with exactly the checks of {@link #delete}, but opens each
     * directory once for the consecutive files in it (a media's thumbnails share one) and prunes once after the
     * last of them: the open of every path component and the failed rmdir of a directory that still holds the next
     * thumbnail were most of the deletion thread's system calls (docs/benchmarks.md, helper del). After a file's
     * failure, the rest of its directory is deleted one by one, each through a freshly opened path, as before.
     */
    public void deleteAll(List<LocalFile> files, LocalStore.DeleteSink sink) {
        requireNonNull(sink, "sink is null");
        int from = 0;
        while (from < files.size()) {
            String dir = parentOf(files.get(from));
            int to = from + 1;
            while (to < files.size() && parentOf(files.get(to)).equals(dir)) {
                to++;
            }
            deleteGroup(dir, files.subList(from, to), sink);
            from = to;
        }
    }

    private static String parentOf(LocalFile file) {
        String relative = file.relativePath();
        return relative.substring(0, Math.max(0, relative.lastIndexOf('/')));
    }

    /** Files that share the parent directory {@code relativeDir}. */
    private void deleteGroup(String relativeDir, List<LocalFile> files, LocalStore.DeleteSink sink) {
        if (files.size() == 1 || relativeDir.isEmpty()) {
            deleteEach(files, sink);
            return;
        }
        Optional<StoreTree.Dir> parent;
        try {
            parent = tree.open(relativeDir);
        } catch (RuntimeException e) {
            deleteEach(files, sink); // each file fails (or not) on its own, with its own message
            return;
        }
        if (parent.isEmpty()) {
            deleteEach(files, sink); // gone: each is checked and reported on its own
            return;
        }
        boolean deletedAny = false;
        try (StoreTree.Dir dir = parent.get()) {
            for (int i = 0; i < files.size(); i++) {
                LocalFile file = files.get(i);
                DeleteOutcome outcome;
                try {
                    outcome = deleteIn(dir, checkedName(file), file);
                } catch (RuntimeException e) {
                    sink.failed(file, e);
                    if (deletedAny) {
                        dir.pruneEmpty();
                    }
                    // This handle no longer agrees with the path (or cannot be used): the rest, one by one.
                    deleteEach(files.subList(i + 1, files.size()), sink);
                    return;
                }
                deletedAny |= outcome == DeleteOutcome.DELETED;
                sink.done(file, outcome);
            }
            if (deletedAny) {
                dir.pruneEmpty();
            }
        }
    }

    private void deleteEach(List<LocalFile> files, LocalStore.DeleteSink sink) {
        for (LocalFile file : files) {
            DeleteOutcome outcome;
            try {
                outcome = delete(file);
            } catch (RuntimeException e) {
                sink.failed(file, e);
                continue;
            }
            sink.done(file, outcome);
        }
    }

    /**
     * The file's name in its directory, once its path is shown to be where its relative path puts it in the store.
     *
     * @throws UnsafePathException when it is not
     */
    private String checkedName(LocalFile expected) {
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
        return name;
    }

    /** The identity check and the unlink of {@code name} through {@code dir}'s handle; pruning is the caller's. */
    private DeleteOutcome deleteIn(StoreTree.Dir dir, String name, LocalFile expected) {
        Optional<StoreTree.Entry> now = dir.stat(name);
        if (now.isEmpty()) {
            return DeleteOutcome.GONE;
        }
        if (!now.get().identity().map(expected.identity()::equals).orElse(false)) {
            return DeleteOutcome.CHANGED;
        }
        try {
            dir.unlink(name);
        } catch (NoSuchFileException e) {
            return DeleteOutcome.GONE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir.path().resolve(name) + ": " + e, e);
        }
        return DeleteOutcome.DELETED;
    }
}

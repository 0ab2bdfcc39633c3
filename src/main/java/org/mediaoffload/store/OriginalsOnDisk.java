package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.mediaoffload.pipeline.MediaRow;

/**
 * Which of many media have their original on disk as a regular file, for rows given in key order (the audit's lost
 * re-check): consecutive rows share the directories their originals live in, so each directory on the way is opened
 * once for all of them and a directory found missing answers for every later original below it, instead of opening
 * the whole chain (and the thumbnail directory, which says nothing about the original) once per media.
 *
 * <p>It opens and reads exactly as {@link LocalMediaFiles} does: below the top-level directories through the
 * parent's handle without following links, a symlink or a non-directory on the way refuses the media (not on disk,
 * as {@code filesOf} answers {@code Refused}), only a regular file counts. Each answer is an observation made during
 * the call: a directory kept open was seen at its opening and, if it is removed meanwhile, is empty from then on
 * (a directory must be empty to be removed), so "absent" through it was true at some moment of the call; the
 * re-check makes the call after its row re-reads and before its bucket checks, which is all its order of proof asks.
 * One thread; one call.
 */
final class OriginalsOnDisk {

    private final MediaStoreLayout layout;
    private final StoreTree tree;
    /** The open chain: {@code open.get(k)} is the directory named by the first k + 1 components of {@code names}. */
    private final List<String> names = new ArrayList<>();
    private final List<StoreTree.Dir> open = new ArrayList<>();
    /** A directory (relative, with a trailing slash) found missing or refused in this call, or null. */
    private String missing;

    OriginalsOnDisk(MediaStoreLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
        this.tree = new StoreTree(layout);
    }

    /**
     * @return bit i set when the original of {@code rows.get(i)} is a regular file in the store now
     * @throws java.io.UncheckedIOException when a directory cannot be read (a disk problem, not a media problem)
     */
    BitSet check(List<MediaRow> rows) {
        BitSet present = new BitSet(rows.size());
        try {
            for (int i = 0; i < rows.size(); i++) {
                if (present(rows.get(i))) {
                    present.set(i);
                }
            }
        } finally {
            closeFrom(0);
        }
        return present;
    }

    private boolean present(MediaRow row) {
        if (!(layout.locate(row) instanceof MediaLocation.Valid valid)) {
            return false; // ids that cannot form a path (LocalMediaFiles: Refused, not on disk)
        }
        String original = valid.original();
        int slash = original.lastIndexOf('/');
        if (missing != null && original.startsWith(missing)) {
            return false;
        }
        String[] parts = original.substring(0, slash).split("/", -1);
        try {
            StoreTree.Dir dir = openChain(parts);
            if (dir == null) {
                return false;
            }
            return dir.stat(original.substring(slash + 1)).flatMap(StoreTree.Entry::identity).isPresent();
        } catch (UnsafePathException e) {
            // A symlink or a non-directory on the way, or a path its handle disagrees with: refused, as filesOf
            // refuses it; nothing below it is read.
            return false;
        }
    }

    /** The directory {@code parts} names, opening only what the open chain does not share with it; null if missing. */
    private StoreTree.Dir openChain(String[] parts) {
        int shared = 0;
        while (shared < open.size() && shared < parts.length && names.get(shared).equals(parts[shared])) {
            shared++;
        }
        closeFrom(shared);
        for (int k = shared; k < parts.length; k++) {
            if (k > 0 && !MediaStoreLayout.isValidComponent(parts[k])) {
                throw new UnsafePathException("invalid path component " + MediaStoreLayout.quote(parts[k]));
            }
            StoreTree.Dir next;
            try {
                next = (k == 0 ? tree.top(parts[0]) : open.get(k - 1).subdirectory(parts[k])).orElse(null);
            } catch (UnsafePathException e) {
                missing = String.join("/", List.of(parts).subList(0, k + 1)) + "/";
                throw e;
            }
            if (next == null) {
                missing = String.join("/", List.of(parts).subList(0, k + 1)) + "/";
                return null;
            }
            names.add(parts[k]);
            open.add(next);
        }
        return open.get(parts.length - 1);
    }

    /** Closes the open chain from depth {@code depth} on (each directory closes only itself). */
    private void closeFrom(int depth) {
        for (int k = open.size() - 1; k >= depth; k--) {
            open.remove(k).close();
            names.remove(k);
        }
    }
}

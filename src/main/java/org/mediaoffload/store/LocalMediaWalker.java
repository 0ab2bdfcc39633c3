package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.S3KeyOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the media still on local disk by walking the four content trees side by side (original and thumbnail
 * trees merged per aa/bb directory, so each media is reported once, also when only its thumbnails remain), in the
 * order S3 lists their keys: local media first, then each origin's remote media, each directory's names sorted as
 * their keys sort ({@link S3KeyOrder}: UTF-8 bytes, a directory's name followed by {@code /}, so
 * {@code example.com.au} comes before {@code example.com}). A media sorts by its original's key; its thumbnail
 * directory's key sorts the same way unless one media id is a prefix of another, which Synapse's fixed-length
 * random ids never are.
 * Only the store root and the four top-level directories are followed if they are symlinks; below them a
 * symlink is counted and skipped, and each directory is opened through its parent's handle without following links
 * ({@link StoreTree}), so one swapped for a symlink while we walk is not followed either. {@code url_cache*} and anything else in the root is never looked at.
 * Memory is bounded by the largest single directory, whatever the size of the store.
 */
public final class LocalMediaWalker {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMediaWalker.class);

    /**
     * @param symlinksSkipped symlinks found below the top-level directories (never followed)
     * @param oddEntries      entries that do not fit the layout (wrong depth, type or name), and unreadable
     *                        directories (logged at WARN)
     */
    public record WalkStats(long mediaFound, long symlinksSkipped, long oddEntries) {}

    /** SUBDIRECTORY: a directory the walk opens next, so it is stat'ed then (once), not when listed. */
    private enum Wanted { SUBDIRECTORY, DIRECTORY, FILE }

    private static final Predicate<String> TWO_CHARS = n -> n.length() == 2 && MediaStoreLayout.isValidComponent(n);
    private static final Predicate<String> VALID = MediaStoreLayout::isValidComponent;

    private final MediaStoreLayout layout;
    private final StoreTree tree;

    public LocalMediaWalker(MediaStoreLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
        this.tree = new StoreTree(layout);
    }

    /**
     * @param sink receives each media once, in name order per directory
     * @throws MediaStoreException when the store root is missing or not a directory
     */
    public WalkStats walk(Consumer<DiskMediaId> sink) {
        return walk(sink, false, EnumSet.allOf(MediaKind.class));
    }

    /** {@link #walk(Consumer)} of one kind's two trees only. */
    public WalkStats walk(MediaKind kind, Consumer<DiskMediaId> sink) {
        return walk(sink, false, EnumSet.of(kind));
    }

    /**
     * The number of media on disk, from directory names only: no file is looked at (no stat), so it counts ahead
     * of a run's discovery cheaply. An entry of the wrong type or a symlink at the media level is counted too (an
     * upper bound by the few odd entries).
     */
    public long countMedia() {
        long[] count = {0};
        walk(id -> count[0]++, true, EnumSet.allOf(MediaKind.class));
        return count[0];
    }

    private WalkStats walk(Consumer<DiskMediaId> sink, boolean namesOnly, Set<MediaKind> kinds) {
        requireNonNull(sink, "sink is null");
        Path root = layout.root();
        if (!Files.isDirectory(root)) {
            throw new MediaStoreException("media store " + root + " does not exist or is not a directory;"
                    + " check offload.media-store-path", null);
        }
        Walk walk = new Walk(sink, namesOnly);
        if (kinds.contains(MediaKind.LOCAL)) {
            walkLocal(walk);
        }
        if (kinds.contains(MediaKind.REMOTE)) {
            walkRemote(walk);
        }
        return new WalkStats(walk.found, walk.symlinks, walk.odd);
    }

    private void walkLocal(Walk walk) {
        try (StoreTree.Dir localContent = top(MediaStoreLayout.LOCAL_CONTENT, walk);
                StoreTree.Dir localThumbnails = top(MediaStoreLayout.LOCAL_THUMBNAILS, walk)) {
            walk.pair(localContent, localThumbnails, id -> new DiskMediaId(MediaKind.LOCAL, "", id));
        }
    }

    private void walkRemote(Walk walk) {
        try (StoreTree.Dir remoteContent = top(MediaStoreLayout.REMOTE_CONTENT, walk);
                StoreTree.Dir remoteThumbnail = top(MediaStoreLayout.REMOTE_THUMBNAIL, walk)) {
            TreeSet<String> contentOrigins = walk.children(remoteContent, Wanted.SUBDIRECTORY, VALID);
            TreeSet<String> thumbnailOrigins = walk.children(remoteThumbnail, Wanted.SUBDIRECTORY, VALID);
            TreeSet<String> origins = new TreeSet<>(S3KeyOrder.DIRECTORIES);
            origins.addAll(contentOrigins);
            origins.addAll(thumbnailOrigins);
            for (String origin : origins) {
                try (StoreTree.Dir content = walk.child(remoteContent, contentOrigins, origin);
                        StoreTree.Dir thumbnails = walk.child(remoteThumbnail, thumbnailOrigins, origin)) {
                    walk.pair(content, thumbnails, id -> new DiskMediaId(MediaKind.REMOTE, origin, id));
                }
            }
        }
    }

    /** A top-level directory, following a symlink (admins move these to other disks); null when absent. */
    private StoreTree.Dir top(String name, Walk walk) {
        Path dir = layout.root().resolve(name);
        try {
            return tree.top(name).orElseGet(() -> {
                if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    LOG.warn("{} is a broken symlink; nothing under it is offloaded", dir);
                    walk.odd++;
                }
                return null;
            });
        } catch (UnsafePathException e) {
            LOG.warn("{} is not a directory; nothing under it is offloaded", dir);
        } catch (UncheckedIOException e) {
            LOG.warn("Cannot list {} ({}); media below it are not offloaded this run", dir, e.getCause().toString());
        }
        walk.odd++;
        return null;
    }

    /** Counters and the sink for one walk. Directories are passed as open handles, null when absent. */
    private static final class Walk {
        private final Consumer<DiskMediaId> sink;
        private final boolean namesOnly;
        private long found;
        private long symlinks;
        private long odd;

        Walk(Consumer<DiskMediaId> sink, boolean namesOnly) {
            this.sink = sink;
            this.namesOnly = namesOnly;
        }

        /** Walks {@code aa/bb/rest} below a content tree and its thumbnail tree together. */
        void pair(StoreTree.Dir content, StoreTree.Dir thumbnails, Function<String, DiskMediaId> idOf) {
            TreeSet<String> contentAa = children(content, Wanted.SUBDIRECTORY, TWO_CHARS);
            TreeSet<String> thumbnailAa = children(thumbnails, Wanted.SUBDIRECTORY, TWO_CHARS);
            for (String aa : union(contentAa, thumbnailAa, S3KeyOrder.DIRECTORIES)) {
                try (StoreTree.Dir contentA = child(content, contentAa, aa);
                        StoreTree.Dir thumbnailA = child(thumbnails, thumbnailAa, aa)) {
                    TreeSet<String> contentBb = children(contentA, Wanted.SUBDIRECTORY, TWO_CHARS);
                    TreeSet<String> thumbnailBb = children(thumbnailA, Wanted.SUBDIRECTORY, TWO_CHARS);
                    for (String bb : union(contentBb, thumbnailBb, S3KeyOrder.DIRECTORIES)) {
                        // Media sort by their original's key: the name as it is, no "/".
                        TreeSet<String> rests;
                        try (StoreTree.Dir contentB = child(contentA, contentBb, bb);
                                StoreTree.Dir thumbnailB = child(thumbnailA, thumbnailBb, bb)) {
                            rests = union(media(contentB, Wanted.FILE), media(thumbnailB, Wanted.DIRECTORY),
                                    S3KeyOrder.KEYS);
                        }
                        for (String rest : rests) {
                            found++;
                            sink.accept(idOf.apply(aa + bb + rest));
                        }
                    }
                }
            }
        }

        /** The subdirectory {@code name} if it was listed, opened without following links; else null. */
        StoreTree.Dir child(StoreTree.Dir dir, TreeSet<String> present, String name) {
            if (dir == null || !present.contains(name)) {
                return null;
            }
            try {
                return dir.subdirectory(name).orElse(null);
            } catch (UnsafePathException e) {
                // A symlink, or an entry of another type where a directory belongs (the listing does not stat).
                if (dir.kind(name).map(k -> k == StoreTree.Kind.SYMLINK).orElse(true)) {
                    symlinks++;
                } else {
                    odd++;
                }
                LOG.debug("Not descending: {}", e.getMessage());
            } catch (UncheckedIOException e) {
                odd++;
                LOG.warn("Cannot list {} ({}); media below it are not offloaded this run", dir.path().resolve(name),
                        e.getCause().toString());
            }
            return null;
        }

        /** The media names in an aa/bb directory; when counting only, by name alone (no stat per entry). */
        TreeSet<String> media(StoreTree.Dir dir, Wanted wanted) {
            return namesOnly ? children(dir, null, VALID) : children(dir, wanted, VALID);
        }

        /**
         * Names of the entries of {@code dir} of the wanted type (any type when null, without a stat), counting
         * symlinks and misfits.
         */
        TreeSet<String> children(StoreTree.Dir dir, Wanted wanted, Predicate<String> validName) {
            TreeSet<String> names = new TreeSet<>(S3KeyOrder.KEYS);
            if (dir == null) {
                return names;
            }
            try {
                for (String name : dir.names()) {
                    if (wanted == null || (wanted == Wanted.SUBDIRECTORY && validName.test(name))) {
                        // A subdirectory is stat'ed once, when it is opened (child): not also here.
                        if (validName.test(name)) {
                            names.add(name);
                        }
                        continue;
                    }
                    Optional<StoreTree.Kind> kind = dir.kind(name);
                    if (kind.isEmpty()) {
                        continue; // vanished while we listed
                    }
                    if (kind.get() == StoreTree.Kind.SYMLINK) {
                        symlinks++;
                        LOG.debug("Skipping symlink {}", dir.path().resolve(name));
                    } else if (validName.test(name) && kind.get() == (wanted == Wanted.FILE
                            ? StoreTree.Kind.FILE : StoreTree.Kind.DIRECTORY)) {
                        names.add(name);
                    } else {
                        odd++;
                        LOG.debug("Ignoring {}: does not fit the media store layout", dir.path().resolve(name));
                    }
                }
            } catch (NoSuchFileException e) {
                // Removed meanwhile (Synapse purged media, or we pruned it).
            } catch (IOException | RuntimeException e) {
                odd++;
                LOG.warn("Cannot list {} ({}); media below it are not offloaded this run", dir.path(), e.toString());
            }
            return names;
        }

        private static TreeSet<String> union(TreeSet<String> a, TreeSet<String> b, Comparator<String> order) {
            TreeSet<String> all = new TreeSet<>(order);
            all.addAll(a);
            all.addAll(b);
            return all;
        }
    }
}

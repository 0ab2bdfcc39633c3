package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the media still on local disk by walking the four content trees side by side (original and thumbnail
 * trees merged per aa/bb directory, so each media is reported once, also when only its thumbnails remain).
 * Only the store root and the four top-level directories are followed if they are symlinks; below them a
 * symlink is counted and skipped. {@code url_cache*} and anything else in the root is never looked at.
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

    private enum Wanted { DIRECTORY, FILE }

    private static final Predicate<String> TWO_CHARS = n -> n.length() == 2 && MediaStoreLayout.isValidComponent(n);
    private static final Predicate<String> VALID = MediaStoreLayout::isValidComponent;

    private final MediaStoreLayout layout;

    public LocalMediaWalker(MediaStoreLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
    }

    /**
     * @param sink receives each media once, in name order per directory
     * @throws MediaStoreException when the store root is missing or not a directory
     */
    public WalkStats walk(Consumer<DiskMediaId> sink) {
        requireNonNull(sink, "sink is null");
        Path root = layout.root();
        if (!Files.isDirectory(root)) {
            throw new MediaStoreException("media store " + root + " does not exist or is not a directory;"
                    + " check offload.media-store-path", null);
        }
        Walk walk = new Walk(sink);
        walk.pair(top(MediaStoreLayout.LOCAL_CONTENT, walk), top(MediaStoreLayout.LOCAL_THUMBNAILS, walk),
                id -> new DiskMediaId(MediaKind.LOCAL, "", id));
        Optional<Path> remoteContent = top(MediaStoreLayout.REMOTE_CONTENT, walk);
        Optional<Path> remoteThumbnail = top(MediaStoreLayout.REMOTE_THUMBNAIL, walk);
        TreeSet<String> contentOrigins = walk.children(remoteContent, Wanted.DIRECTORY, VALID);
        TreeSet<String> thumbnailOrigins = walk.children(remoteThumbnail, Wanted.DIRECTORY, VALID);
        TreeSet<String> origins = new TreeSet<>(contentOrigins);
        origins.addAll(thumbnailOrigins);
        for (String origin : origins) {
            walk.pair(child(remoteContent, contentOrigins, origin), child(remoteThumbnail, thumbnailOrigins, origin),
                    id -> new DiskMediaId(MediaKind.REMOTE, origin, id));
        }
        return new WalkStats(walk.found, walk.symlinks, walk.odd);
    }

    /** A top-level directory, following a symlink (admins move these to other disks). */
    private Optional<Path> top(String name, Walk walk) {
        Path dir = layout.root().resolve(name);
        if (Files.isDirectory(dir)) {
            return Optional.of(dir);
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn("{} is not a directory (or a broken symlink); nothing under it is offloaded", dir);
            walk.odd++;
        }
        return Optional.empty();
    }

    private static Optional<Path> child(Optional<Path> dir, TreeSet<String> present, String name) {
        return present.contains(name) ? dir.map(d -> d.resolve(name)) : Optional.empty();
    }

    /** Counters and the sink for one walk. */
    private static final class Walk {
        private final Consumer<DiskMediaId> sink;
        private long found;
        private long symlinks;
        private long odd;

        Walk(Consumer<DiskMediaId> sink) {
            this.sink = sink;
        }

        /** Walks {@code aa/bb/rest} below a content tree and its thumbnail tree together. */
        void pair(Optional<Path> content, Optional<Path> thumbnails, Function<String, DiskMediaId> idOf) {
            TreeSet<String> contentAa = children(content, Wanted.DIRECTORY, TWO_CHARS);
            TreeSet<String> thumbnailAa = children(thumbnails, Wanted.DIRECTORY, TWO_CHARS);
            for (String aa : union(contentAa, thumbnailAa)) {
                Optional<Path> contentA = child(content, contentAa, aa);
                Optional<Path> thumbnailA = child(thumbnails, thumbnailAa, aa);
                TreeSet<String> contentBb = children(contentA, Wanted.DIRECTORY, TWO_CHARS);
                TreeSet<String> thumbnailBb = children(thumbnailA, Wanted.DIRECTORY, TWO_CHARS);
                for (String bb : union(contentBb, thumbnailBb)) {
                    TreeSet<String> rests = children(child(contentA, contentBb, bb), Wanted.FILE, VALID);
                    rests.addAll(children(child(thumbnailA, thumbnailBb, bb), Wanted.DIRECTORY, VALID));
                    for (String rest : rests) {
                        found++;
                        sink.accept(idOf.apply(aa + bb + rest));
                    }
                }
            }
        }

        /** Names of the entries of {@code dir} of the wanted type, counting symlinks and misfits. */
        TreeSet<String> children(Optional<Path> dir, Wanted wanted, Predicate<String> validName) {
            TreeSet<String> names = new TreeSet<>();
            if (dir.isEmpty()) {
                return names;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.get())) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    Optional<BasicFileAttributes> a = LocalMediaFiles.attributes(entry);
                    if (a.isEmpty()) {
                        continue; // vanished while we listed
                    }
                    if (a.get().isSymbolicLink()) {
                        symlinks++;
                        LOG.debug("Skipping symlink {}", entry);
                    } else if (validName.test(name) && (wanted == Wanted.DIRECTORY
                            ? a.get().isDirectory() : a.get().isRegularFile())) {
                        names.add(name);
                    } else {
                        odd++;
                        LOG.debug("Ignoring {}: does not fit the media store layout", entry);
                    }
                }
            } catch (NoSuchFileException e) {
                // Removed meanwhile (Synapse purged media, or we pruned it).
            } catch (IOException | RuntimeException e) {
                odd++;
                LOG.warn("Cannot list {} ({}); media below it are not offloaded this run", dir.get(), e.toString());
            }
            return names;
        }

        private static TreeSet<String> union(TreeSet<String> a, TreeSet<String> b) {
            TreeSet<String> all = new TreeSet<>(a);
            all.addAll(b);
            return all;
        }
    }
}

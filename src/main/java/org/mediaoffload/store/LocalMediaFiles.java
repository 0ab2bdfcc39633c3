package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.mediaoffload.pipeline.FileIdentity;
import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.MediaRow;

/**
 * The files to offload for one media, exactly as upstream picks them: the original plus every regular file
 * directly inside its thumbnail directory (whatever the names, so legacy remote thumbnails without the method
 * suffix are included). Symlinks are never followed or listed; nested directories are ignored. Each directory is
 * opened through its parent's handle ({@link StoreTree}), and each file's identity is recorded for the upload and the
 * deletion to insist on.
 */
public final class LocalMediaFiles {

    /** The files of a media, or why the media must be skipped. */
    public sealed interface Listing permits Listing.Found, Listing.Refused {
        /** The original first (when present), then thumbnails by name; empty when nothing is on disk. */
        record Found(List<LocalFile> files) implements Listing {
            public Found {
                files = List.copyOf(files);
            }
        }

        /** @param unsafePath a path on disk was refused (a symlink below a top-level directory), not the row's ids */
        record Refused(String reason, boolean unsafePath) implements Listing {}
    }

    private final MediaStoreLayout layout;
    private final StoreTree tree;

    public LocalMediaFiles(MediaStoreLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
        this.tree = new StoreTree(layout);
    }

    /** @throws UncheckedIOException when the store cannot be read (a disk problem, not a media problem) */
    public Listing list(MediaRow row) {
        requireNonNull(row, "row is null");
        MediaLocation location = layout.locate(row);
        if (location instanceof MediaLocation.Invalid invalid) {
            return new Listing.Refused(invalid.reason(), false);
        }
        MediaLocation.Valid valid = (MediaLocation.Valid) location;
        try {
            List<LocalFile> files = new ArrayList<>();
            original(valid.original(), row.sha256()).ifPresent(files::add);
            files.addAll(thumbnails(valid.thumbnailDir()));
            return new Listing.Found(files);
        } catch (UnsafePathException e) {
            return new Listing.Refused(e.getMessage(), true);
        }
    }

    /** @param sha256 Synapse's hash of the original, which every upload or proof of it insists on */
    private Optional<LocalFile> original(String relativePath, Optional<String> sha256) {
        int slash = relativePath.lastIndexOf('/');
        String name = relativePath.substring(slash + 1);
        Optional<StoreTree.Dir> parent = tree.open(relativePath.substring(0, slash));
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        try (StoreTree.Dir dir = parent.get()) {
            return dir.stat(name).flatMap(StoreTree.Entry::identity)
                    .map(id -> localFile(relativePath, id, true, sha256));
        }
    }

    private List<LocalFile> thumbnails(String relativeDir) {
        int slash = relativeDir.lastIndexOf('/');
        String name = relativeDir.substring(slash + 1);
        Optional<StoreTree.Dir> parent = tree.open(relativeDir.substring(0, slash));
        if (parent.isEmpty()) {
            return List.of();
        }
        try (StoreTree.Dir dir = parent.get()) {
            Optional<StoreTree.Entry> entry = dir.stat(name);
            if (entry.isEmpty() || entry.get().kind() != StoreTree.Kind.DIRECTORY) {
                // Missing, or a symlink (never followed), or a stray file.
                return List.of();
            }
            Optional<StoreTree.Dir> opened = dir.subdirectory(name);
            if (opened.isEmpty()) {
                return List.of(); // removed meanwhile (Synapse purged the media)
            }
            try (StoreTree.Dir thumbnails = opened.get()) {
                List<LocalFile> files = new ArrayList<>();
                for (String file : thumbnails.names()) {
                    // Whatever the name (legacy thumbnails have other ones); a symlink is never a regular file here.
                    thumbnails.stat(file).flatMap(StoreTree.Entry::identity)
                            .ifPresent(id -> files.add(localFile(relativeDir + "/" + file, id, false, Optional.empty())));
                }
                files.sort(Comparator.comparing(LocalFile::relativePath));
                return files;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list thumbnail directory " + layout.root().resolve(relativeDir)
                        + ": " + e, e);
            }
        }
    }

    private LocalFile localFile(String relativePath, FileIdentity identity, boolean original,
            Optional<String> sha256) {
        return new LocalFile(relativePath, layout.root().resolve(relativePath), identity.size(),
                Math.floorDiv(identity.mtimeNs(), 1_000_000L), original, identity, sha256);
    }
}

package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.MediaRow;

/**
 * The files to offload for one media, exactly as upstream picks them: the original plus every regular file
 * directly inside its thumbnail directory (whatever the names, so legacy remote thumbnails without the method
 * suffix are included). Symlinks are never followed or listed; nested directories are ignored.
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

        record Refused(String reason) implements Listing {}
    }

    private final MediaStoreLayout layout;
    private final StoreJail jail;

    public LocalMediaFiles(MediaStoreLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
        this.jail = new StoreJail(layout);
    }

    /** @throws UncheckedIOException when the store cannot be read (a disk problem, not a media problem) */
    public Listing list(MediaRow row) {
        requireNonNull(row, "row is null");
        MediaLocation location = layout.locate(row);
        if (location instanceof MediaLocation.Invalid invalid) {
            return new Listing.Refused(invalid.reason());
        }
        MediaLocation.Valid valid = (MediaLocation.Valid) location;
        try {
            List<LocalFile> files = new ArrayList<>();
            original(valid.original()).ifPresent(files::add);
            files.addAll(thumbnails(valid.thumbnailDir()));
            return new Listing.Found(files);
        } catch (UnsafePathException e) {
            return new Listing.Refused(e.getMessage());
        }
    }

    private Optional<LocalFile> original(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        Optional<StoreJail.Dir> parent = jail.directory(relativePath.substring(0, slash));
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        Path path = parent.get().real().resolve(relativePath.substring(slash + 1));
        return regularFile(path).map(a -> new LocalFile(relativePath, path, a.size(), mtimeMs(a), true));
    }

    private List<LocalFile> thumbnails(String relativeDir) {
        int slash = relativeDir.lastIndexOf('/');
        Optional<StoreJail.Dir> parent = jail.directory(relativeDir.substring(0, slash));
        if (parent.isEmpty()) {
            return List.of();
        }
        Path dir = parent.get().real().resolve(relativeDir.substring(slash + 1));
        Optional<BasicFileAttributes> dirAttributes = attributes(dir);
        if (dirAttributes.isEmpty() || !dirAttributes.get().isDirectory()) {
            // Missing, or a symlink (never followed), or a stray file.
            return List.of();
        }
        List<LocalFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                regularFile(entry).ifPresent(a -> files.add(
                        new LocalFile(relativeDir + "/" + name, entry, a.size(), mtimeMs(a), false)));
            }
        } catch (NoSuchFileException e) {
            return List.of(); // removed meanwhile (Synapse purged the media)
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list thumbnail directory " + dir + ": " + e, e);
        }
        files.sort(Comparator.comparing(LocalFile::relativePath));
        return files;
    }

    /** Present only for a regular file; a symlink is never a regular file here (NOFOLLOW_LINKS). */
    private static Optional<BasicFileAttributes> regularFile(Path path) {
        return attributes(path).filter(BasicFileAttributes::isRegularFile);
    }

    static Optional<BasicFileAttributes> attributes(Path path) {
        try {
            return Optional.of(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attributes of " + path + ": " + e, e);
        }
    }

    static long mtimeMs(BasicFileAttributes attributes) {
        return attributes.lastModifiedTime().toMillis();
    }
}

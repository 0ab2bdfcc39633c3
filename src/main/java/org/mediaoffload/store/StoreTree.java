package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.mediaoffload.pipeline.FileIdentity;
import org.mediaoffload.pipeline.LocalFileChangedException;

/**
 * The media store's directories, opened so that nothing outside the store can be reached. The store root and the four
 * top-level directories are opened by path, following symlinks (admins move them to other disks). Every component
 * below them is opened relative to its parent's open handle without following links ({@link SecureDirectoryStream}:
 * {@code openat}, {@code fstatat} and {@code unlinkat} with {@code O_NOFOLLOW}/{@code AT_SYMLINK_NOFOLLOW}), so a
 * directory or file swapped for a symlink after the scan is refused, not followed, however late the swap.
 *
 * <p>Java has no {@code fstat} on an open file and no ctime through a directory handle, so a file's identity is the
 * handle's {@code fstatat} (type and device + inode) joined with an {@code lstat} of its path for size, mtime and
 * ctime, accepted only when both name the same inode.
 */
final class StoreTree {

    /** What an entry of a directory is, as seen through the directory's handle without following links. */
    enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }

    /** @param identity present for regular files only */
    record Entry(Kind kind, Optional<FileIdentity> identity) {
        boolean isFile() {
            return kind == Kind.FILE;
        }
    }

    private static final String UNIX_ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime,fileKey";

    private final MediaStoreLayout layout;

    StoreTree(MediaStoreLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
    }

    MediaStoreLayout layout() {
        return layout;
    }

    /**
     * Opens {@code relativeDir} (e.g. {@code remote_content/example.com/aa/bb}) one component at a time.
     *
     * @return empty when it, or a directory above it, does not exist
     * @throws UnsafePathException when it is not below a top-level directory, has a component Synapse could not have
     *                             written, or a component is a symlink or not a directory
     * @throws UncheckedIOException when a directory cannot be read (permissions, disk)
     */
    Optional<Dir> open(String relativeDir) {
        String[] parts = relativeDir.split("/", -1);
        if (!MediaStoreLayout.TOP_LEVEL_DIRS.contains(parts[0])) {
            throw new UnsafePathException("path " + MediaStoreLayout.quote(relativeDir)
                    + " is not below one of " + MediaStoreLayout.TOP_LEVEL_DIRS);
        }
        for (int i = 1; i < parts.length; i++) {
            if (!MediaStoreLayout.isValidComponent(parts[i])) {
                throw new UnsafePathException("path " + MediaStoreLayout.quote(relativeDir)
                        + " has an invalid component " + MediaStoreLayout.quote(parts[i]));
            }
        }
        Optional<Dir> top = top(parts[0]);
        if (top.isEmpty()) {
            return top;
        }
        Dir dir = top.get();
        try {
            for (int i = 1; i < parts.length; i++) {
                Optional<Dir> next = dir.subdirectory(parts[i], true);
                if (next.isEmpty()) {
                    dir.close();
                    return Optional.empty();
                }
                dir = next.get();
            }
            return Optional.of(dir);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** A top-level directory, following a symlink; empty when it does not exist. */
    Optional<Dir> top(String name) {
        Path path = layout.root().resolve(name);
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NotDirectoryException e) {
            throw new UnsafePathException(path + " should be a directory in the media store layout");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e, e);
        }
        if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
            closeQuietly(stream);
            throw new MediaStoreException("this platform cannot open directories without following symlinks"
                    + " (no SecureDirectoryStream for " + path + "); synapse-media-offload needs Linux", null);
        }
        String key;
        try {
            // The handle's own fstat: the directory this open reached, whatever the path resolves to later.
            key = String.valueOf(secure.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey());
        } catch (IOException e) {
            closeQuietly(stream);
            throw new UncheckedIOException("cannot read attributes of " + path + ": " + e, e);
        }
        return Optional.of(new Dir(null, false, name, name, path, secure, key));
    }

    private static void closeQuietly(DirectoryStream<Path> stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Nothing was read through it.
        }
    }

    /**
     * An open directory of the store. Closing one that {@link StoreTree#open} returned also closes the directories it
     * opened on the way; one from {@link #subdirectory} closes only itself. One thread at a time.
     */
    static final class Dir implements AutoCloseable {
        private final Dir parent;
        private final boolean ownsParent;
        private final String name;
        private final String relative;
        private final Path path;
        private final SecureDirectoryStream<Path> stream;
        /** The file key of the top-level directory this one was reached through (see FileIdentity). */
        private final String topKey;

        private Dir(Dir parent, boolean ownsParent, String name, String relative, Path path,
                SecureDirectoryStream<Path> stream, String topKey) {
            this.parent = parent;
            this.ownsParent = ownsParent;
            this.name = name;
            this.relative = relative;
            this.path = path;
            this.stream = stream;
            this.topKey = topKey;
        }

        /** e.g. {@code local_thumbnails/aa/bb}. */
        String relative() {
            return relative;
        }

        /** The configured spelling (through the configured root), for messages. */
        Path path() {
            return path;
        }

        /**
         * The entry {@code child} of this directory, without following links; empty when there is none.
         *
         * @throws UnsafePathException when the file's path and this handle disagree on which inode it is (a directory
         *                             on its path was swapped meanwhile)
         */
        Optional<Entry> stat(String child) {
            Path rel = name(child);
            Optional<BasicFileAttributes> found = handleAttributes(rel);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            BasicFileAttributes handle = found.get();
            if (handle.isSymbolicLink()) {
                return Optional.of(new Entry(Kind.SYMLINK, Optional.empty()));
            }
            if (handle.isDirectory()) {
                return Optional.of(new Entry(Kind.DIRECTORY, Optional.empty()));
            }
            if (!handle.isRegularFile()) {
                return Optional.of(new Entry(Kind.OTHER, Optional.empty()));
            }
            Map<String, Object> a;
            try {
                a = Files.readAttributes(path.resolve(rel), UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty(); // removed between the two calls
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read attributes of " + path.resolve(rel) + ": " + e, e);
            }
            if (!Objects.equals(handle.fileKey(), a.get("fileKey"))) {
                throw new UnsafePathException(path.resolve(rel) + " is not the file its directory handle shows: a"
                        + " directory on its path was replaced since it was opened (never followed)");
            }
            return Optional.of(new Entry(Kind.FILE, Optional.of(new FileIdentity((Long) a.get("dev"),
                    (Long) a.get("ino"), (Long) a.get("size"), nanos(a.get("lastModifiedTime")),
                    nanos(a.get("ctime")), topKey))));
        }

        /** What {@code child} is, from this handle alone (cheaper than {@link #stat}: no identity). */
        Optional<Kind> kind(String child) {
            return handleAttributes(name(child)).map(a -> a.isSymbolicLink() ? Kind.SYMLINK
                    : a.isDirectory() ? Kind.DIRECTORY : a.isRegularFile() ? Kind.FILE : Kind.OTHER);
        }

        private Optional<BasicFileAttributes> handleAttributes(Path rel) {
            try {
                return Optional.of(stream.getFileAttributeView(rel, BasicFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS).readAttributes());
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read attributes of " + path.resolve(rel) + ": " + e, e);
            }
        }

        /**
         * The subdirectory {@code child}, opened through this handle without following links; closing it leaves this
         * directory open.
         *
         * @return empty when it does not exist
         * @throws UnsafePathException when it is a symlink or not a directory
         */
        Optional<Dir> subdirectory(String child) {
            return subdirectory(child, false);
        }

        private Optional<Dir> subdirectory(String child, boolean ownsThis) {
            Path rel = name(child);
            Optional<Kind> kind = kind(child);
            if (kind.isEmpty()) {
                return Optional.empty();
            }
            if (kind.get() == Kind.SYMLINK) {
                throw symlink(rel);
            }
            if (kind.get() != Kind.DIRECTORY) {
                throw new UnsafePathException(path.resolve(rel) + " should be a directory in the media store layout");
            }
            try {
                return Optional.of(new Dir(this, ownsThis, child, relative + "/" + child, path.resolve(rel),
                        stream.newDirectoryStream(rel, LinkOption.NOFOLLOW_LINKS), topKey));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (NotDirectoryException e) {
                throw new UnsafePathException(path.resolve(rel) + " should be a directory in the media store layout");
            } catch (FileSystemException e) {
                // O_NOFOLLOW on a symlink that replaced the directory since the stat above: ELOOP.
                if (kind(child).map(now -> now == Kind.SYMLINK).orElse(false)) {
                    throw symlink(rel);
                }
                throw new UncheckedIOException("cannot open " + path.resolve(rel) + ": " + e, e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + path.resolve(rel) + ": " + e, e);
            }
        }

        /** The names of this directory's entries (a directory can be listed once per handle). */
        List<String> names() throws IOException {
            List<String> names = new ArrayList<>();
            try {
                for (Path entry : stream) {
                    names.add(entry.getFileName().toString());
                }
            } catch (java.nio.file.DirectoryIteratorException e) {
                throw e.getCause();
            }
            return names;
        }

        /**
         * Opens the regular file {@code child} for reading without following links, insisting on {@code expected}
         * before and after the open.
         *
         * @throws LocalFileChangedException when it is gone, not a regular file (a symlink), or another file
         */
        SeekableByteChannel openFile(String child, FileIdentity expected) throws IOException {
            Path rel = name(child);
            requireFile(child, expected);
            SeekableByteChannel channel;
            try {
                channel = stream.newByteChannel(rel, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            } catch (FileSystemException e) {
                requireFile(child, expected); // explains a swap (ELOOP on a symlink) when there was one
                throw e;
            }
            try {
                requireFile(child, expected);
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        /** @throws LocalFileChangedException unless {@code child} is still the regular file {@code expected} */
        void requireFile(String child, FileIdentity expected) throws LocalFileChangedException {
            Path file = path.resolve(name(child));
            Optional<Entry> now;
            try {
                now = stat(child);
            } catch (UnsafePathException e) {
                throw new LocalFileChangedException(e.getMessage());
            }
            if (now.isEmpty()) {
                throw new LocalFileChangedException(file + " is gone since the scan");
            }
            switch (now.get().kind()) {
                case SYMLINK -> throw new LocalFileChangedException(file
                        + " was replaced by a symlink since the scan; never followed");
                case FILE -> {
                    FileIdentity identity = now.get().identity().orElseThrow();
                    if (expected.sameFileElsewhere(identity)) {
                        throw new LocalFileChangedException(file + " is reached through another " + top()
                                + " directory than at the scan: the media store path or a top-level symlink was"
                                + " re-pointed since; not read there");
                    }
                    if (!identity.equals(expected)) {
                        throw new LocalFileChangedException(file + " changed since the scan (then " + expected
                                + ", now " + identity + ")");
                    }
                }
                default -> throw new LocalFileChangedException(file + " is no longer a regular file");
            }
        }

        /** The top-level directory's name, e.g. {@code local_content}. */
        private String top() {
            int slash = relative.indexOf('/');
            return slash < 0 ? relative : relative.substring(0, slash);
        }

        /** Unlinks {@code child} through this handle ({@code unlinkat}, never following a link). */
        void unlink(String child) throws IOException {
            stream.deleteFile(name(child));
        }

        /**
         * Removes this directory and then each parent that this leaves empty, never the top-level directory, and
         * never a directory that is not empty (Synapse may be writing into it right now).
         */
        void pruneEmpty() {
            for (Dir dir = this; dir.parent != null; dir = dir.parent) {
                try {
                    dir.parent.stream.deleteDirectory(name(dir.name));
                } catch (DirectoryNotEmptyException e) {
                    return; // Normal: other media, or Synapse is writing here right now.
                } catch (NoSuchFileException e) {
                    // Someone else pruned it; keep going up.
                } catch (IOException e) {
                    return; // e.g. replaced by a symlink (ENOTDIR): left alone.
                }
            }
        }

        @Override
        public void close() {
            for (Dir dir = this; dir != null; dir = dir.ownsParent ? dir.parent : null) {
                try {
                    dir.stream.close();
                } catch (IOException e) {
                    // Read-only handle; nothing to flush.
                }
            }
        }

        private UnsafePathException symlink(Path rel) {
            Path link = path.resolve(rel);
            String target;
            try {
                target = " to " + Files.readSymbolicLink(link); // reads the link itself, follows nothing
            } catch (IOException | UnsupportedOperationException e) {
                target = "";
            }
            return new UnsafePathException(link + " is a symlink" + target + " below a top-level directory of the"
                    + " media store (never followed by synapse-media-offload)");
        }

        /** A single path component; anything else could walk out of this directory. */
        private static Path name(String child) {
            if (child.isEmpty() || child.equals(".") || child.equals("..") || child.indexOf('/') >= 0
                    || child.indexOf('\0') >= 0) {
                throw new UnsafePathException("not a single path component: " + MediaStoreLayout.quote(child));
            }
            return Path.of(child);
        }

        private static long nanos(Object time) {
            return ((FileTime) time).to(TimeUnit.NANOSECONDS);
        }
    }
}

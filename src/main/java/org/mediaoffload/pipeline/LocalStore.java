package org.mediaoffload.pipeline;

import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/** The local media store, as the pipeline needs it. Nothing outside the store is ever read or touched. */
public interface LocalStore {

    /**
     * Why the store cannot be Synapse's media store (none of its top-level directories exists while
     * {@code databaseListsMedia} says Synapse has media), naming the path and what to do; empty when it can be.
     */
    java.util.Optional<String> notAMediaStore(java.util.function.BooleanSupplier databaseListsMedia);

    /**
     * Reports every media that has an original or a thumbnail on disk (each once), in the order S3 sorts their keys
     * (local media, then remote media origin by origin; see {@link S3KeyOrder}), one directory in memory at a time.
     */
    void walk(Consumer<DiskMediaId> sink);

    /** {@link #walk(Consumer)} of one kind's trees only (local_content and local_thumbnails, or the remote ones). */
    default void walk(MediaKind kind, Consumer<DiskMediaId> sink) {
        walk(id -> {
            if (id.kind() == kind) {
                sink.accept(id);
            }
        });
    }

    /** About how many media {@link #walk} would report, from directory names only (cheap: no stat per file). */
    default long countMedia() {
        long[] count = {0};
        walk(id -> count[0]++);
        return count[0];
    }

    /** The files upstream would offload for this row: the original plus the files directly in its thumbnail dir. */
    MediaFiles filesOf(MediaRow row);

    /**
     * Which of these rows have their original on disk now as a regular file (what {@link #filesOf} would list as the
     * original; a refused or invalid path has none). Rows in key order let an implementation open each directory once
     * for the consecutive rows in it.
     *
     * @return bit i set when the original of {@code rows.get(i)} is on disk
     */
    default BitSet originalsOnDisk(List<MediaRow> rows) {
        BitSet present = new BitSet(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            if (filesOf(rows.get(i)) instanceof MediaFiles.Found found
                    && found.files().stream().anyMatch(LocalFile::original)) {
                present.set(i);
            }
        }
        return present;
    }

    /**
     * The file for an upload: opened without following links below the top-level directories, its identity checked
     * on every open and after every read the upload relies on.
     */
    UploadFile uploadFile(LocalFile file);

    /**
     * Deletes the file only if it is still the regular file we verified (same device, inode, size, mtime and ctime),
     * through the directory handle that was checked, then prunes empty parent directories below the top-level store
     * directories.
     */
    DeleteOutcome delete(LocalFile file);

    sealed interface MediaFiles {
        record Found(List<LocalFile> files) implements MediaFiles {}

        /** The row's ids cannot be mapped to a safe path (Synapse's path-component rules). */
        record Invalid(String reason) implements MediaFiles {}

        /** A directory on the media's path is a symlink (or not a directory): nothing below it is read. */
        record Refused(String reason) implements MediaFiles {}
    }

    enum DeleteOutcome {
        DELETED,
        /** Another inode, size, mtime or ctime than at the scan (or no longer a regular file): kept. */
        CHANGED,
        /** Already gone. */
        GONE
    }
}

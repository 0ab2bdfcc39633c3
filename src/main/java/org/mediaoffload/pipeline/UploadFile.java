package org.mediaoffload.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A local file as the object store reads it for an upload. The local store decides how it is opened (for the media
 * store: below the top-level directories without following links, see {@link LocalStore#uploadFile}); the object
 * store only reads. Each {@link #open} checks the file's identity before and after opening, and the uploader calls
 * {@link #checkUnchanged} after each read it relies on, so the bytes proven are the bytes of the scanned file.
 */
public interface UploadFile {

    /** For messages: the store-relative path (or the path, for a file outside a media store). */
    String name();

    /** The size the scan saw; exactly this many bytes are sent. */
    long size();

    /**
     * A new stream from the file's first byte.
     *
     * @throws LocalFileChangedException when the file is not the scanned one or its path is refused
     */
    InputStream open() throws IOException;

    /** @throws LocalFileChangedException unless the file is still exactly the scanned one */
    void checkUnchanged() throws IOException;

    /**
     * Synapse's SHA-256 of the content (lowercase hex), for an original whose row has one: every read that uploads or
     * proves the file hashes the bytes it read and refuses them when they differ ({@link SynapseHash}).
     */
    default Optional<String> sha256() {
        return Optional.empty();
    }
}

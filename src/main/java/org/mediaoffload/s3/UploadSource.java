package org.mediaoffload.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.mediaoffload.pipeline.LocalFileChangedException;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.UploadFile;

/**
 * Reads a local file for upload, insisting on the size the caller saw: a file that is shorter or longer
 * than expected changed under us (Synapse still writing, or truncated) and must not replace a good copy. How the file
 * is opened, and the identity it must keep, is the {@link UploadFile}'s business (for the media store: no symlink
 * followed, the same inode, size, mtime and ctime as at the scan on every open); callers check it again with
 * {@link #throwIfChanged} after each read whose bytes they send or hash.
 * Failures here are the file's, not the store's: status {@value #LOCAL_STATUS}, so
 * {@link ObjectStoreException#looksLikeOutage()} is false.
 */
final class UploadSource {
    static final int LOCAL_STATUS = -1;

    private final UploadFile source;
    private final long expectedSize;

    UploadSource(UploadFile source) {
        this.source = source;
        this.expectedSize = source.size();
    }

    long expectedSize() {
        return expectedSize;
    }

    /**
     * Opens the file (its identity is checked before and after opening, so a file that already changed costs no
     * request). The reads check the size again: the file may still change while it is being read.
     */
    InputStream open() {
        try {
            return source.open();
        } catch (LocalFileChangedException e) {
            throw changed(e);
        } catch (IOException e) {
            throw readFailed(e);
        }
    }

    /** Fills {@code buffer[0, length)} or throws when the file ends early. */
    void readFully(InputStream in, byte[] buffer, int length) {
        try {
            int n = in.readNBytes(buffer, 0, length);
            if (n != length) {
                throw changed("shorter than");
            }
        } catch (IOException e) {
            throw readFailed(e);
        }
    }

    /** Throws when the file has more bytes than expected. */
    void expectEnd(InputStream in) {
        try {
            if (in.read() != -1) {
                throw changed("longer than");
            }
        } catch (IOException e) {
            throw readFailed(e);
        }
    }

    /** Throws unless {@code length} bytes (the file's size, or all that was read of it) are the expected size. */
    void checkLength(long length) {
        if (length != expectedSize) {
            throw changed(length < expectedSize ? "shorter than" : "longer than");
        }
    }

    /**
     * Throws when the file is no longer the one the caller saw (after a read whose bytes are sent or hashed, after a
     * failed upload).
     */
    void throwIfChanged() {
        try {
            source.checkUnchanged();
        } catch (LocalFileChangedException e) {
            throw changed(e);
        } catch (IOException e) {
            throw readFailed(e);
        }
    }

    /**
     * Opens the file for a streamed request body: exactly the expected bytes, or an {@link IOException} when the
     * file ends early (the request then fails rather than sending a short body).
     */
    InputStream openExact() throws IOException {
        InputStream in = source.open();
        return new FilterInputStream(in) {
            private long remaining = expectedSize;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new IOException(source.name() + " is shorter than the expected " + expectedSize + " bytes");
                }
                remaining -= n;
                return n;
            }
        };
    }

    ObjectStoreException readFailed(IOException e) {
        return new ObjectStoreException("cannot read " + source.name() + " for upload: " + e, LOCAL_STATUS,
                S3ObjectStore.LOCAL_READ_FAILED, e);
    }

    private ObjectStoreException changed(LocalFileChangedException e) {
        return new ObjectStoreException(e.getMessage() + "; not uploaded", LOCAL_STATUS,
                S3ObjectStore.LOCAL_FILE_CHANGED, e);
    }

    private ObjectStoreException changed(String how) {
        return new ObjectStoreException(source.name() + " is " + how + " the expected " + expectedSize
                + " bytes (it changed while being read); not uploaded", LOCAL_STATUS,
                S3ObjectStore.LOCAL_FILE_CHANGED, null);
    }
}

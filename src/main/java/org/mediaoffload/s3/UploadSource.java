package org.mediaoffload.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mediaoffload.pipeline.ObjectStoreException;

/**
 * Reads a local file for upload, insisting on the size the caller saw: a file that is shorter or longer
 * than expected changed under us (Synapse still writing, or truncated) and must not replace a good copy.
 * Failures here are the file's, not the store's: status {@value #LOCAL_STATUS}, so
 * {@link ObjectStoreException#looksLikeOutage()} is false.
 */
final class UploadSource {
    static final int LOCAL_STATUS = -1;

    private final Path source;
    private final long expectedSize;

    UploadSource(Path source, long expectedSize) {
        this.source = source;
        this.expectedSize = expectedSize;
    }

    long expectedSize() {
        return expectedSize;
    }

    /**
     * Opens the file after a cheap size check, so a file that already changed costs no request. The reads
     * check again: the file may still change while it is being read.
     */
    InputStream open() {
        throwIfChanged();
        try {
            return Files.newInputStream(source);
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

    /** Throws when the file's size on disk is not the expected one (before reading, after a failed upload). */
    void throwIfChanged() {
        long actual;
        try {
            actual = Files.size(source);
        } catch (IOException e) {
            throw readFailed(e);
        }
        checkLength(actual);
    }

    /**
     * Opens the file for a streamed request body: exactly the expected bytes, or an {@link IOException} when the
     * file ends early (the request then fails rather than sending a short body).
     */
    InputStream openExact() throws IOException {
        InputStream in = Files.newInputStream(source);
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
                    throw new IOException(source + " is shorter than the expected " + expectedSize + " bytes");
                }
                remaining -= n;
                return n;
            }
        };
    }

    ObjectStoreException readFailed(IOException e) {
        return new ObjectStoreException("cannot read " + source + " for upload: " + e, LOCAL_STATUS,
                S3ObjectStore.LOCAL_READ_FAILED, e);
    }

    private ObjectStoreException changed(String how) {
        return new ObjectStoreException(source + " is " + how + " the expected " + expectedSize
                + " bytes (it changed while being read); not uploaded", LOCAL_STATUS,
                S3ObjectStore.LOCAL_FILE_CHANGED, null);
    }
}

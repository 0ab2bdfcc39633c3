package org.mediaoffload.testing;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.mediaoffload.pipeline.LocalFileChangedException;
import org.mediaoffload.pipeline.UploadFile;

/**
 * An {@link UploadFile} over bytes in memory, for store tests without files: the "scanned" size is fixed at creation,
 * and {@link #replaceWith} swaps the content under it, as a file rewritten after the scan (then {@link #checkUnchanged}
 * fails, as the media store's identity check would).
 */
public final class BytesUploadFile implements UploadFile {
    private final String name;
    private final long size;
    private volatile byte[] data;
    private volatile boolean changed;

    private BytesUploadFile(String name, byte[] data, long size) {
        this.name = requireNonNull(name, "name is null");
        this.data = data.clone();
        this.size = size;
    }

    /** A file whose scanned size is its length. */
    public static BytesUploadFile of(String name, byte[] data) {
        return new BytesUploadFile(name, data, data.length);
    }

    /** A file the scan saw with {@code scannedSize} bytes, whatever it holds now. */
    public static BytesUploadFile scannedAs(String name, byte[] data, long scannedSize) {
        return new BytesUploadFile(name, data, scannedSize);
    }

    /** The file is rewritten: later opens read {@code newData}, and it no longer counts as the scanned file. */
    public void replaceWith(byte[] newData) {
        data = newData.clone();
        changed = true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open() throws IOException {
        checkUnchanged();
        return new ByteArrayInputStream(data);
    }

    @Override
    public void checkUnchanged() throws LocalFileChangedException {
        if (changed) {
            throw new LocalFileChangedException(name + " changed since the scan");
        }
    }
}

package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.mediaoffload.audit.AuditBucket.BucketObject;

/**
 * One listed key range's objects in a file, in the order the bucket listed them: its lister appends each page as it
 * arrives, and the merge reads the records back later, from the start, while more may still be appended. So the
 * listing never waits for the merge and memory stays one page, whatever the bucket's size. The keys arrive sorted,
 * so this is a plain sequential file, no sort. Who may read how far is {@link BucketListing}'s business: a reader
 * reads only records a writer has {@link #append appended} (flushed) before.
 */
final class ListingSpool implements AutoCloseable {

    private static final int BUFFER = 1 << 16;

    private final Path file;
    private final DataOutputStream out;
    private DataInputStream in;

    /** Creates (or truncates) the file now, on the caller's thread. */
    ListingSpool(Path file) {
        this.file = requireNonNull(file, "file is null");
        try {
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit's listing spool " + file, e);
        }
    }

    /** Writes one page and flushes it, so that a reader may read it as soon as this returns. Writer's thread only. */
    void append(List<BucketObject> objects) {
        try {
            for (BucketObject o : objects) {
                out.writeUTF(o.key());
                out.writeLong(o.size());
                out.writeBoolean(o.etag() != null);
                if (o.etag() != null) {
                    out.writeUTF(o.etag());
                }
                out.writeBoolean(o.lastModified() != null);
                if (o.lastModified() != null) {
                    out.writeLong(o.lastModified().getEpochSecond());
                    out.writeInt(o.lastModified().getNano());
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit's listing spool " + file + " (disk full?)", e);
        }
    }

    /** The next record; the caller knows one has been appended. Reader's thread only. */
    BucketObject read() {
        try {
            if (in == null) {
                in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER));
            }
            String key = in.readUTF();
            long size = in.readLong();
            String etag = in.readBoolean() ? in.readUTF() : null;
            Instant lastModified = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
            return new BucketObject(key, size, etag, lastModified);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit's listing spool " + file, e);
        }
    }

    /** The writer is done (or gave up): closes its end. Writer's thread only, so no close races an append. */
    void endWriting() {
        closeQuietly(out);
    }

    /**
     * Closes the reading end and deletes the file (idempotent). A writer still busy (a lister being stopped) keeps
     * writing to the unlinked file until it notices, which costs nothing and is seen by no one.
     */
    @Override
    public void close() {
        if (in != null) {
            closeQuietly(in);
            in = null;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the audit's listing spool " + file, e);
        }
    }

    private static void closeQuietly(AutoCloseable stream) {
        try {
            stream.close();
        } catch (Exception ignored) {
            // the file is deleted next; nothing in it is needed any more
        }
    }
}

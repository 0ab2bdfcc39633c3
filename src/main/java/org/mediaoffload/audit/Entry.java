package org.mediaoffload.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One fact about an S3 key from the database or the local disk, as the external sort stores it. The merge meets
 * the bucket listing on {@link #key()} (prefix included).
 *
 * <ul>
 * <li>{@link Source#MEDIA_DIR}: a media row exists; its key is the media's thumbnail directory plus {@code /},
 *     which sorts directly before every thumbnail of that media.</li>
 * <li>{@link Source#ROW_ORIGINAL}: the original a media row names ({@code size} = media_length, -1 when NULL).</li>
 * <li>{@link Source#ROW_THUMBNAIL}: a thumbnail a thumbnail row names.</li>
 * <li>{@link Source#DISK}: a file in the local media store ({@code size}, {@code timeMs} = mtime).</li>
 * </ul>
 *
 * <p>The key is held as its UTF-8 bytes: S3 orders keys by those bytes, unsigned, so the sort compares them as they
 * are ({@link Arrays#compareUnsigned}, eight bytes at a time) and the spill files copy them without an encoding
 * step; an audit sorts and spills every row and file, so this is the audit's main-thread cost. The text is
 * decoded only for the keys the merge judges.
 */
final class Entry {

    enum Source { MEDIA_DIR, ROW_ORIGINAL, ROW_THUMBNAIL, DISK }

    /** A URL-preview row: never offloaded, never lost. */
    static final int URL_CACHE = 1;
    /** Created after the audit's start minus the quiet period: Synapse may still be writing it. */
    static final int RECENT = 2;

    private static final Source[] SOURCES = Source.values();

    /** By key in S3's order (UTF-8 bytes, unsigned), then by source. */
    static final Comparator<Entry> ORDER = (a, b) -> {
        int byKey = Arrays.compareUnsigned(a.key, b.key);
        return byKey != 0 ? byKey : a.source.compareTo(b.source);
    };

    private final byte[] key;
    private final Source source;
    private final long size;
    private final long timeMs;
    private final String origin;
    private final String mediaId;
    private final String sha256;
    private final int flags;
    private String text;

    /**
     * @param origin  "" for local media
     * @param mediaId the row's media_id (remote: the remote server's id), "" for disk files
     * @param sha256  Synapse's recorded sha256 of the original, "" when none
     * @param timeMs  created_ts for rows, mtime for files
     * @param flags   {@link #URL_CACHE}, {@link #RECENT}
     */
    Entry(String key, Source source, long size, long timeMs, String origin, String mediaId, String sha256,
            int flags) {
        this(key.getBytes(UTF_8), source, size, timeMs, origin, mediaId, sha256, flags);
        this.text = key;
    }

    private Entry(byte[] key, Source source, long size, long timeMs, String origin, String mediaId, String sha256,
            int flags) {
        this.key = key;
        this.source = requireNonNull(source, "source is null");
        this.size = size;
        this.timeMs = timeMs;
        this.origin = requireNonNull(origin, "origin is null");
        this.mediaId = requireNonNull(mediaId, "mediaId is null");
        this.sha256 = requireNonNull(sha256, "sha256 is null");
        this.flags = flags;
    }

    String key() {
        if (text == null) {
            text = new String(key, UTF_8);
        }
        return text;
    }

    /** Whether this entry's key is exactly {@code utf8} (a key's UTF-8 bytes). */
    boolean hasKey(byte[] utf8) {
        return Arrays.equals(key, utf8);
    }

    /** {@code utf8} (a key's UTF-8 bytes) against this entry's key in S3's order. */
    int compareToKey(byte[] utf8) {
        return Arrays.compareUnsigned(utf8, key);
    }

    /** The key's UTF-8 bytes, for {@link #hasKey} or {@link #compareToKey}; not to be changed. */
    byte[] keyBytes() {
        return key;
    }

    Source source() {
        return source;
    }

    long size() {
        return size;
    }

    long timeMs() {
        return timeMs;
    }

    String origin() {
        return origin;
    }

    String mediaId() {
        return mediaId;
    }

    String sha256() {
        return sha256;
    }

    int flags() {
        return flags;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Lengths and raw UTF-8: no 64 KiB limit as writeUTF has (a media_id is whatever the database holds). */
    void write(DataOutput out) throws IOException {
        out.writeInt(key.length);
        out.write(key);
        out.writeByte(source.ordinal());
        out.writeLong(size);
        out.writeLong(timeMs);
        writeText(out, origin);
        writeText(out, mediaId);
        writeText(out, sha256);
        out.writeByte(flags);
    }

    static Entry read(DataInput in) throws IOException {
        byte[] key = bytes(in);
        Source source = SOURCES[in.readByte()];
        long size = in.readLong();
        long timeMs = in.readLong();
        return new Entry(key, source, size, timeMs, readText(in), readText(in), readText(in), in.readByte());
    }

    private static void writeText(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInput in) throws IOException {
        byte[] b = bytes(in);
        return b.length == 0 ? "" : new String(b, UTF_8);
    }

    private static byte[] bytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt sort file: negative length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    @Override
    public String toString() {
        return "Entry[" + key() + ", " + source + ", size=" + size + ", origin=" + origin + ", mediaId=" + mediaId
                + "]";
    }
}

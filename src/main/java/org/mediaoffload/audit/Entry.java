package org.mediaoffload.audit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;
import org.mediaoffload.pipeline.S3KeyOrder;

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
 * @param origin  "" for local media
 * @param mediaId the row's media_id (remote: the remote server's id), "" for disk files
 * @param sha256  Synapse's recorded sha256 of the original, "" when none
 * @param timeMs  created_ts for rows, mtime for files
 * @param flags   {@link #URL_CACHE}, {@link #RECENT}
 */
record Entry(String key, Source source, long size, long timeMs, String origin, String mediaId, String sha256,
        int flags) {

    enum Source { MEDIA_DIR, ROW_ORIGINAL, ROW_THUMBNAIL, DISK }

    /** A URL-preview row: never offloaded, never lost. */
    static final int URL_CACHE = 1;
    /** Created after the audit's start minus the quiet period: Synapse may still be writing it. */
    static final int RECENT = 2;

    /** By key in S3's order, then by source; written out, as the audit's sort calls it millions of times. */
    static final Comparator<Entry> ORDER = (a, b) -> {
        int byKey = S3KeyOrder.compare(a.key, b.key);
        return byKey != 0 ? byKey : a.source.compareTo(b.source);
    };

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    void write(DataOutput out) throws IOException {
        out.writeUTF(key);
        out.writeByte(source.ordinal());
        out.writeLong(size);
        out.writeLong(timeMs);
        out.writeUTF(origin);
        out.writeUTF(mediaId);
        out.writeUTF(sha256);
        out.writeByte(flags);
    }

    static Entry read(DataInput in) throws IOException {
        return new Entry(in.readUTF(), Source.values()[in.readByte()], in.readLong(), in.readLong(), in.readUTF(),
                in.readUTF(), in.readUTF(), in.readByte());
    }
}

package org.mediaoffload.audit;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.MediaRow;

/**
 * Synapse's media and thumbnail tables, read-only, as the audit reads them: every row, page by page on the
 * unique indexes, each page its own short transaction.
 */
public interface AuditCatalog extends AutoCloseable {

    /**
     * A local_media_repository or remote_media_cache row.
     *
     * @param filesystemId media_id for local rows; may be null for a broken remote row
     * @param mediaLength  null while an async upload is pending
     * @param createdTs    null if Synapse never set it
     * @param sha256       null before Synapse 1.128 (or when the column does not exist)
     */
    record MediaEntry(MediaKind kind, String origin, String mediaId, String filesystemId, Long mediaLength,
            Long createdTs, boolean urlCache, String sha256) {
        public MediaRef ref() {
            return new MediaRef(kind, origin, mediaId);
        }
    }

    /** A thumbnail row, with the filesystem id of its media (remote thumbnails live under it). */
    record ThumbnailEntry(MediaKind kind, String origin, String filesystemId, int width, int height, String type,
            String method) {}

    interface Sink {
        void media(MediaEntry media);

        void thumbnail(ThumbnailEntry thumbnail);
    }

    /** Every media row and every thumbnail row of an existing media; the sink is called outside transactions. */
    default void scan(Sink sink) {
        scan(MediaKind.LOCAL, sink);
        scan(MediaKind.REMOTE, sink);
    }

    /** {@link #scan(Sink)} of one kind's tables only (local_media_repository, or remote_media_cache). */
    void scan(MediaKind kind, Sink sink);

    /** Point lookups by unique key, in batches: the rows that still exist. */
    Map<MediaRef, MediaRow> reread(Collection<MediaRef> refs);

    /**
     * Which of these media (as keys name them: local media_id; remote origin and filesystem_id) still have a media
     * row, read now by point lookups in batches. Remote rows are found through the (media_origin, media_id) index:
     * Synapse does not index filesystem_id, so each batch reads the rows of its origins.
     */
    Set<DiskMediaId> existing(Collection<DiskMediaId> media);

    /** Asks the database something trivial, reconnecting if the connection was lost while idle. */
    void ping();

    /**
     * Connections lost (and re-opened) so far. An audit that saw this change read the database in more than one
     * session: it may have been restarted, or restored, meanwhile.
     */
    long connectionLosses();

    /** Whether the tables have Synapse 1.128's sha256 column. */
    boolean hasSha256();

    String describe();

    @Override
    void close();
}

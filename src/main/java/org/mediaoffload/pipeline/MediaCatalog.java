package org.mediaoffload.pipeline;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Synapse's media tables, read-only. Implementations never write to Synapse's database and never hold one
 * transaction for a whole run (each lookup or re-read batch is its own short transaction).
 */
public interface MediaCatalog extends AutoCloseable {

    /**
     * The rows eligible by upstream's rules among the given media found on disk:
     * {@code COALESCE(last_access_ts, created_ts) < cutoffMs}; local rows with {@code url_cache IS NULL}; remote rows
     * only when {@code includeRemote}. A local id matches {@code media_id}, a remote one
     * {@code (media_origin, filesystem_id)}. Rows with a NULL media_length are included (the pipeline skips and
     * reports them), as are quarantined rows (filtered by the pipeline per {@code include-quarantined}); rows with a
     * NULL media_id/filesystem_id/created_ts cannot be mapped and are not returned. The ids are looked up, not every
     * eligible row streamed, so a run costs in proportion to what is still local, not to the database's size. Order
     * unspecified.
     */
    void eligibleAmong(long cutoffMs, boolean includeRemote, Collection<DiskMediaId> onDisk, Consumer<MediaRow> sink);

    /**
     * Re-reads the given rows now (just before deletion). Rows that no longer exist are absent from the result.
     */
    Map<MediaRef, MediaRow> reread(Collection<MediaRef> refs);

    /** Whether Synapse has any media row at all (local or remote): a store path without media directories is wrong. */
    boolean listsAnyMedia();

    /** Cheap connectivity check for readiness probes and check-config. */
    void ping();

    @Override
    void close();
}

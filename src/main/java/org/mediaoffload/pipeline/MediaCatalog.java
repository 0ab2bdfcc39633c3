package org.mediaoffload.pipeline;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Synapse's media tables, read-only. Implementations never write to Synapse's database and never hold one
 * transaction for a whole run (PostgreSQL reads are short, keyset-paged transactions).
 */
public interface MediaCatalog extends AutoCloseable {

    /**
     * Streams every row eligible by upstream's rules, local then remote:
     * {@code COALESCE(last_access_ts, created_ts) < cutoffMs}; local rows with {@code url_cache IS NULL}.
     * Rows with a NULL media_length are included (the pipeline skips and reports them), as are quarantined rows
     * (filtered by the pipeline per {@code include-quarantined}). Remote rows only when {@code includeRemote}.
     * Rows with a NULL media_id/filesystem_id/created_ts cannot be mapped and are not returned.
     */
    void scanEligible(long cutoffMs, boolean includeRemote, Consumer<MediaRow> sink);

    /**
     * The rows {@link #scanEligible} would return, restricted to the given media found on disk: a local id matches
     * {@code media_id}, a remote one {@code (media_origin, filesystem_id)}. Implementations look the ids up instead
     * of streaming every eligible row, so a run costs in proportion to what is still local, not to the database's
     * size. Same eligibility rules and same unmappable rows left out; order unspecified.
     */
    default void eligibleAmong(long cutoffMs, boolean includeRemote, Collection<DiskMediaId> onDisk,
            Consumer<MediaRow> sink) {
        java.util.Set<DiskMediaId> wanted = new java.util.HashSet<>(onDisk);
        scanEligible(cutoffMs, includeRemote, row -> {
            if (wanted.contains(DiskMediaId.of(row))) {
                sink.accept(row);
            }
        });
    }

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

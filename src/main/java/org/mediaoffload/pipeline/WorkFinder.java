package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.function.BooleanSupplier;

/**
 * Finds the work of a run by joining what is on disk with what the database says is eligible, as a stream in key
 * order ({@link DiscoveryStream}). The one place a run's {@link WorkStream} is made.
 *
 * <p>Why disk first: after the first offload the local store holds only recent and pulled-back media, so a walk
 * costs time in proportion to what is still local, while the eligible rows can number millions; each chunk of media
 * found on disk is looked up by id. The join also finds files Synapse fetched back after an earlier run (upstream
 * #63), which a database-only "done" flag never does. Memory is bounded by the chunk and queue sizes, not by the
 * number of media on disk or rows in the database.
 */
final class WorkFinder {

    /** Where the skip rules report what they saw: every media with a row, and those left for a later run. */
    interface Tally {
        /** A media on disk whose row is eligible by age (counted as {@code mediaScanned}). */
        void scanned(MediaRow row);

        /** A scanned media left alone this run, and why (counted as {@code mediaSkipped}, listed in errors). */
        void skipped(MediaRow row, String reason);
    }

    private final LocalStore localStore;
    private final MediaCatalog catalog;

    WorkFinder(LocalStore localStore, MediaCatalog catalog) {
        this.localStore = requireNonNull(localStore, "localStore is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /**
     * Starts discovery: eligible rows whose media has at least one file on disk, in S3 key order, handed over as
     * they are found. The caller closes the stream (it ends discovery's threads).
     *
     * @param timeUp asked while {@link WorkStream#next} waits for discovery (a slow disk or database): true when the
     *               run must stop now (offload.max-run-duration), so a wait never outlasts the run's time limit
     */
    WorkStream stream(long cutoffMs, boolean includeRemote, boolean includeQuarantined, Tally tally, StopSignal stop,
            BooleanSupplier timeUp) {
        return stream(cutoffMs, includeRemote, includeQuarantined, tally, stop, timeUp, () -> {});
    }

    /** As above; {@code afterFirstChunk} may hold discovery once its first chunk is queued (see DiscoveryStream). */
    WorkStream stream(long cutoffMs, boolean includeRemote, boolean includeQuarantined, Tally tally, StopSignal stop,
            BooleanSupplier timeUp, Runnable afterFirstChunk) {
        requireNonNull(tally, "tally is null");
        requireNonNull(stop, "stop is null");
        return DiscoveryStream.start(localStore, stop, timeUp,
                (chunk, sink) -> catalog.eligibleAmong(cutoffMs, includeRemote, chunk, sink),
                row -> admit(row, includeQuarantined, tally), afterFirstChunk);
    }

    /** The skip rules for a row found for a media on disk: whether it is work for this run. */
    static boolean admit(MediaRow row, boolean includeQuarantined, Tally tally) {
        tally.scanned(row);
        if (row.quarantined() && !includeQuarantined) {
            return false;
        }
        if (row.mediaLength().isEmpty()) {
            // media_length IS NULL: an async upload (/create) whose bytes have not arrived. Upstream marks these
            // done; we leave them for a later run.
            tally.skipped(row, row.ref() + ": upload still pending (media_length is NULL), skipped");
            return false;
        }
        return true;
    }
}

package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param prefix      our key prefix (offload.s3.prefix)
 * @param quietPeriod rows and files younger than this at the audit's start are not judged (Synapse writes the
 *                    file before its row; an upload in progress is neither lost nor orphaned)
 * @param workDir     where the external sort writes its runs (in the state dir)
 * @param maxDuration 0 = unbounded; past it the audit stops and reports INCOMPLETE
 * @param concurrency parallel GETs for the content check, and parallel disk and bucket checks of lost candidates
 * @param orphanGrace, maxOrphanFraction, maxDeletions the reconcile's guards (offload.audit.*)
 */
public record AuditSettings(String prefix, Duration quietPeriod, Path workDir, Duration maxDuration,
        int concurrency, Duration orphanGrace, double maxOrphanFraction, long maxDeletions) {
    /** Entries per in-memory sort run: ~250 bytes each, so about 25 MB of heap at most. */
    static final int SORT_RUN = 100_000;

    public AuditSettings {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(quietPeriod, "quietPeriod is null");
        requireNonNull(workDir, "workDir is null");
        requireNonNull(maxDuration, "maxDuration is null");
        requireNonNull(orphanGrace, "orphanGrace is null");
        concurrency = Math.max(1, concurrency);
    }
}

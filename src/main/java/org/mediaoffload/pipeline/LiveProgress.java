package org.mediaoffload.pipeline;

import java.time.Instant;

/**
 * A snapshot of the run in progress. Totals are -1 while still unknown (the scan is running), and estimates until
 * {@code totalsExact} (discovery goes on while files move; see {@link WorkStream#estimate}).
 */
public record LiveProgress(
        long runId,
        String trigger,
        boolean dryRun,
        RunPhase phase,
        Instant startedAt,
        long mediaTotal,
        long filesTotal,
        long bytesTotal,
        long filesDone,
        long bytesDone,
        long filesUploaded,
        long filesAlreadyInStore,
        long filesDeleted,
        long bytesFreed,
        long filesFailed,
        long filesSkipped,
        boolean totalsExact) {

    /** A snapshot whose totals, if known, are exact. */
    public LiveProgress(long runId, String trigger, boolean dryRun, RunPhase phase, Instant startedAt, long mediaTotal,
            long filesTotal, long bytesTotal, long filesDone, long bytesDone, long filesUploaded,
            long filesAlreadyInStore, long filesDeleted, long bytesFreed, long filesFailed, long filesSkipped) {
        this(runId, trigger, dryRun, phase, startedAt, mediaTotal, filesTotal, bytesTotal, filesDone, bytesDone,
                filesUploaded, filesAlreadyInStore, filesDeleted, bytesFreed, filesFailed, filesSkipped, true);
    }
}

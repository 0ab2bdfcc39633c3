package org.mediaoffload.pipeline;

import java.time.Instant;

/**
 * A snapshot of the run in progress. Totals are -1 while still unknown (the scan is running).
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
        long filesSkipped) {}

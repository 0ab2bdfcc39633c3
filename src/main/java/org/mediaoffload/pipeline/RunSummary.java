package org.mediaoffload.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * The figures of one run, as reported by run-once --json, the admin API and the journal.
 *
 * @param backlogFiles eligible files still local at the end of the run (not deleted, for whatever reason)
 * @param errors       a bounded sample of "path: reason" lines for the operator
 */
public record RunSummary(
        long runId,
        String trigger,
        boolean dryRun,
        RunStatus status,
        Instant startedAt,
        Instant endedAt,
        long mediaScanned,
        long mediaSkipped,
        long filesUploaded,
        long bytesUploaded,
        long filesAlreadyInStore,
        long filesDeleted,
        long bytesFreed,
        long filesFailed,
        long filesSkipped,
        long backlogFiles,
        long backlogBytes,
        List<String> errors) {}

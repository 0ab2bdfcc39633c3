package org.mediaoffload.http;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.mediaoffload.pipeline.LiveProgress;
import org.mediaoffload.pipeline.RunPhase;

/**
 * The JSON of {@code GET /api/v1/runs/current}: the live figures plus rate and ETA. Unknown totals are null;
 * {@code totalsEstimated} while discovery still goes on (the totals are extrapolated from what it has seen).
 */
record ProgressView(
        long runId,
        String trigger,
        boolean dryRun,
        RunPhase phase,
        Instant startedAt,
        long elapsedSeconds,
        OptionalLong mediaTotal,
        OptionalLong filesTotal,
        OptionalLong bytesTotal,
        long filesDone,
        long bytesDone,
        long filesUploaded,
        long filesAlreadyInStore,
        long filesDeleted,
        long bytesFreed,
        long filesFailed,
        long filesSkipped,
        double filesPerSecond,
        double bytesPerSecond,
        OptionalDouble percentDone,
        OptionalLong etaSeconds,
        boolean totalsEstimated) {

    static ProgressView of(LiveProgress p, Instant now) {
        double seconds = Math.max(0.001, Duration.between(p.startedAt(), now).toMillis() / 1000.0);
        double bytesPerSecond = p.bytesDone() / seconds;
        OptionalDouble percent = OptionalDouble.empty();
        OptionalLong eta = OptionalLong.empty();
        // Bytes drive the estimate: a run is dominated by transfer time, not by the number of files.
        if (p.bytesTotal() > 0) {
            percent = OptionalDouble.of(Math.min(100.0, 100.0 * p.bytesDone() / p.bytesTotal()));
            if (bytesPerSecond > 0) {
                eta = OptionalLong.of(Math.round(Math.max(0, p.bytesTotal() - p.bytesDone()) / bytesPerSecond));
            }
        } else if (p.filesTotal() > 0) {
            percent = OptionalDouble.of(Math.min(100.0, 100.0 * p.filesDone() / p.filesTotal()));
        }
        return new ProgressView(p.runId(), p.trigger(), p.dryRun(), p.phase(), p.startedAt(), (long) seconds,
                known(p.mediaTotal()), known(p.filesTotal()), known(p.bytesTotal()), p.filesDone(), p.bytesDone(),
                p.filesUploaded(), p.filesAlreadyInStore(), p.filesDeleted(), p.bytesFreed(), p.filesFailed(),
                p.filesSkipped(), p.filesDone() / seconds, bytesPerSecond, percent, eta,
                p.filesTotal() >= 0 && !p.totalsExact());
    }

    private static OptionalLong known(long value) {
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }
}

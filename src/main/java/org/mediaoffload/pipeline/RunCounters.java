package org.mediaoffload.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe figures of one run; the source of live progress and of the final summary. */
final class RunCounters {
    private static final int MAX_ERRORS = 50;

    final AtomicLong mediaScanned = new AtomicLong();
    final AtomicLong mediaSkipped = new AtomicLong();
    final AtomicLong mediaTotal = new AtomicLong(-1);
    final AtomicLong filesTotal = new AtomicLong(-1);
    final AtomicLong bytesTotal = new AtomicLong(-1);
    /** Whether the totals are counted (discovery has seen everything) rather than extrapolated. */
    final AtomicBoolean totalsExact = new AtomicBoolean();
    final AtomicLong filesDone = new AtomicLong();
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong filesUploaded = new AtomicLong();
    final AtomicLong bytesUploaded = new AtomicLong();
    final AtomicLong filesAlreadyInStore = new AtomicLong();
    /** Only for a dry run's "would free": a real run counts what it actually deleted. */
    final AtomicLong bytesAlreadyInStore = new AtomicLong();
    final AtomicLong filesDeleted = new AtomicLong();
    final AtomicLong bytesFreed = new AtomicLong();
    final AtomicLong filesFailed = new AtomicLong();
    final AtomicLong filesSkipped = new AtomicLong();
    private final List<String> errors = new ArrayList<>();
    private long errorsDropped;

    synchronized void error(String line) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(line);
        } else {
            errorsDropped++;
        }
    }

    synchronized List<String> errors() {
        List<String> copy = new ArrayList<>(errors);
        if (errorsDropped > 0) {
            copy.add("... and " + errorsDropped + " more (see the journal)");
        }
        return List.copyOf(copy);
    }

    LiveProgress progress(long runId, String trigger, boolean dryRun, RunPhase phase, Instant startedAt) {
        return new LiveProgress(runId, trigger, dryRun, phase, startedAt, mediaTotal.get(), filesTotal.get(),
                bytesTotal.get(), filesDone.get(), bytesDone.get(), filesUploaded.get(), filesAlreadyInStore.get(),
                filesDeleted.get(), bytesFreed.get(), filesFailed.get(), filesSkipped.get(), totalsExact.get());
    }
}

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects journal events from the transfer threads and writes them in batches: one SQLite transaction per few
 * hundred files instead of one per file. Deletion never depends on what is buffered here.
 */
final class JournalBuffer {
    private static final Logger log = LoggerFactory.getLogger(JournalBuffer.class);
    private static final int BATCH = 256;

    private final OffloadJournal journal;
    private final long runId;
    private final StopSignal stop;
    private final RunCounters counters;
    private final List<FileEvent> pending = new ArrayList<>();
    private final List<UploadProof> pendingProofs = new ArrayList<>();

    JournalBuffer(OffloadJournal journal, long runId, StopSignal stop, RunCounters counters) {
        this.journal = requireNonNull(journal, "journal is null");
        this.runId = runId;
        this.stop = requireNonNull(stop, "stop is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    void add(LocalFile file, String key, FileState state, Optional<String> md5Hex, Optional<String> error) {
        Batch batch = null;
        synchronized (this) {
            pending.add(new FileEvent(runId, key, file.relativePath(), state, file.size(), file.mtimeMs(), md5Hex,
                    error));
            if (pending.size() >= BATCH) {
                batch = drain();
            }
        }
        write(batch);
    }

    /** Records an upload proof; written with the next batch of events, in the same transaction. */
    void addProof(UploadProof proof) {
        synchronized (this) {
            pendingProofs.add(proof);
        }
    }

    void flush() {
        Batch batch;
        synchronized (this) {
            batch = drain();
        }
        write(batch);
    }

    private Batch drain() {
        Batch batch = new Batch(List.copyOf(pending), List.copyOf(pendingProofs));
        pending.clear();
        pendingProofs.clear();
        return batch;
    }

    private record Batch(List<FileEvent> events, List<UploadProof> proofs) {}

    private void write(Batch batch) {
        if (batch == null || batch.events().isEmpty() && batch.proofs().isEmpty()) {
            return;
        }
        try {
            journal.record(batch.events(), batch.proofs());
        } catch (RuntimeException e) {
            // Without a working state DB we cannot keep our records straight: stop starting new work.
            log.error("Cannot write the journal in the state directory; stopping the run", e);
            counters.error("state journal: " + e.getMessage());
            stop.stop(RunStatus.ABORTED);
        }
    }
}

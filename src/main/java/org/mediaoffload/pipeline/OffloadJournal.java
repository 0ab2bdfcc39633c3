package org.mediaoffload.pipeline;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Our own state (SQLite under state-dir): runs and a per-file journal. It is a record and a hint (e.g. "this
 * key was offloaded before, HEAD it instead of listing"), never the proof a deletion rests on alone: an upload
 * proof ({@link UploadProof}) counts only together with a HEAD and a local MD5 made in the run that deletes.
 */
public interface OffloadJournal extends AutoCloseable {

    /** Records a new run as RUNNING and returns its id. */
    long runStarted(Instant startedAt, String trigger, boolean dryRun);

    /** Stores the final figures of a run (summary.runId()). */
    void runFinished(RunSummary summary);

    /** Marks runs left RUNNING by a crash as ABORTED; returns how many. Called once at start. */
    int abandonUnfinishedRuns(Instant now);

    Map<String, JournalEntry> lookup(Collection<String> keys);

    /** Writes the events in one transaction. */
    default void record(Collection<FileEvent> events) {
        record(events, List.of());
    }

    /** Writes the events and upload proofs in one transaction. */
    void record(Collection<FileEvent> events, Collection<UploadProof> proofs);

    /** Our last acknowledged upload of {@code key} to {@code target} (a {@link TargetFingerprint}), if recorded. */
    Optional<UploadProof> uploadProof(String key, String target);

    List<RunSummary> recentRuns(int limit);

    Optional<RunSummary> lastRun();

    Optional<RunSummary> lastSuccess();

    /** Deletes run rows and file rows last touched before {@code cutoff}; returns the number of rows removed. */
    int purgeOlderThan(Instant cutoff);

    /** Small key/value settings, e.g. the fingerprint of an SSE-C key confirmed by check-config. */
    Optional<String> setting(String name);

    void putSetting(String name, String value);

    /**
     * Fails with {@link StateDirChangedException} when the state directory is no longer the one this journal was
     * opened on (its lock or journal file deleted or replaced). Checked before each run, each batch and each access.
     */
    default void checkIntact() {}

    /**
     * Records a new pinned target ({@code value} under setting {@code name}) and, in the same transaction, voids
     * everything the journal holds about verified uploads: those proofs were made against the old target and prove
     * nothing about the new one. The one place that forgets proofs; anything new that records upload proofs must be
     * cleared here too.
     */
    void replaceTarget(String name, String value);

    @Override
    void close();
}

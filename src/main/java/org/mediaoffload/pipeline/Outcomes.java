package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a file's fate is recorded: each outcome updates the run's counters, the journal, the listener and
 * the log together, so a new counter or event touches this class only. Stages decide; this records.
 *
 * <p>Progress ({@link RunListener#fileProgressed}) moves once per file when its work is done (uploaded, found,
 * skipped, failed); {@link RunListener#fileFinished} only when its outcome is final (an upload once verified).
 * The listener may throw from {@code fileFinished} for a verified file (pinning the target failed, see
 * {@link FirstVerified}): that happens before the file is journalled as verified, so its caller keeps it.
 */
final class Outcomes {
    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private final RunCounters counters;
    private final JournalBuffer journal;
    private final RunListener listener;
    private final S3Config s3;
    private WorkStream.WorkEstimate lastPlanned;
    private final AtomicLong unverifiedAtCap = new AtomicLong();
    private final AtomicLong abortedAtCap = new AtomicLong();

    Outcomes(RunCounters counters, JournalBuffer journal, RunListener listener, S3Config s3) {
        this.counters = requireNonNull(counters, "counters is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.s3 = requireNonNull(s3, "s3 is null");
    }

    /** Left alone for a reason that is not a failure (quiet period, size mismatch, a thumbnail of another size). */
    void skipped(LocalFile file, String reason) {
        counters.filesSkipped.incrementAndGet();
        counters.error(file.relativePath() + ": " + reason);
        log.debug("Skipped {}: {}", file.relativePath(), reason);
        progressed(file);
        listener.fileFinished(FileOutcome.SKIPPED, file.size());
        journal.add(file, s3.keyFor(file.relativePath()), FileState.SKIPPED, Optional.empty(), Optional.of(reason));
    }

    /**
     * The upload or the proof read bytes that do not hash to Synapse's sha256 (the hook of {@link SynapseHash}):
     * kept like an original whose size differs from media_length, and counted apart for the metric.
     */
    void contentDiffers(LocalFile file, SynapseHash.Mismatch e) {
        listener.localContentDiffers(file.size());
        log.error("{}", e.getMessage());
        skipped(file, e.getMessage());
    }

    /** Kept and reported before any upload of it. */
    void failed(LocalFile file, String key, String reason) {
        progressed(file);
        failedAfterUpload(file, key, reason);
    }

    /** Kept and reported after {@link #uploaded} already moved its progress (verification failed). */
    void failedAfterUpload(LocalFile file, String key, String reason) {
        counters.filesFailed.incrementAndGet();
        counters.error(file.relativePath() + ": " + reason);
        log.warn("Failed {}: {}", file.relativePath(), reason);
        listener.fileFinished(FileOutcome.FAILED, file.size());
        journal.add(file, key, FileState.FAILED, Optional.empty(), Optional.of(reason));
    }

    /** Already in the bucket, readable with our key and proven to hold the local bytes: ready for deletion. */
    void present(LocalFile file, String key) {
        counters.filesAlreadyInStore.incrementAndGet();
        counters.bytesAlreadyInStore.addAndGet(file.size());
        progressed(file);
        listener.fileFinished(FileOutcome.ALREADY_PRESENT, file.size());
        journal.add(file, key, FileState.VERIFIED, Optional.empty(), Optional.empty());
    }

    /** A dry run's upload: counted as uploaded, nothing sent. */
    void wouldUpload(LocalFile file) {
        counters.filesUploaded.incrementAndGet();
        counters.bytesUploaded.addAndGet(file.size());
        progressed(file);
        listener.fileFinished(FileOutcome.UPLOADED, file.size());
    }

    /** The store acknowledged our upload; its verification follows. */
    void uploaded(LocalFile file, PutReceipt receipt) {
        counters.filesUploaded.incrementAndGet();
        counters.bytesUploaded.addAndGet(file.size());
        // Progress moves now, not when the verification listing answers (up to a thousand keys later).
        progressed(file);
        journal.add(file, receipt.key(), FileState.UPLOADED, Optional.of(receipt.md5Hex()), Optional.empty());
    }

    /**
     * Our upload is in the bucket with the local size: ready for deletion. Journals what a later run needs to trust
     * the object without reading it back ({@link ContentProof}), only when the store answered our PUT with the ETag
     * it now shows, so the object seen is the one we sent.
     */
    void verified(LocalFile file, PutReceipt receipt, ListedObject seen, String target) {
        listener.fileFinished(FileOutcome.UPLOADED, file.size());
        journal.add(file, receipt.key(), FileState.VERIFIED, Optional.empty(), Optional.empty());
        if (receipt.eTag().isPresent() && receipt.eTag().equals(seen.eTag()) && seen.lastModified().isPresent()) {
            journal.addProof(new UploadProof(receipt.key(), target, receipt.md5Hex(), receipt.eTag().get(),
                    seen.size(), seen.lastModified().get()));
        }
    }

    /**
     * Uploaded, but offload.max-run-duration came before a verification listing was sent for it: kept, and not a
     * failure. The journal keeps it UPLOADED; the next run finds the object and proves it like any object already
     * there (or uploads it again), then deletes it.
     */
    void unverifiedAtCap(LocalFile file, String key) {
        unverifiedAtCap.incrementAndGet();
        log.debug("{} (key {}) uploaded but not verified before offload.max-run-duration; kept for the next run",
                file.relativePath(), key);
    }

    /** Its upload was aborted at offload.max-run-duration (see {@link OffloadRun}): kept, and not a failure. */
    void uploadAbortedAtCap(LocalFile file, String key) {
        abortedAtCap.incrementAndGet();
        log.debug("Upload of {} (key {}) aborted at offload.max-run-duration; kept for the next run",
                file.relativePath(), key);
    }

    void deleted(LocalFile file) {
        counters.filesDeleted.incrementAndGet();
        counters.bytesFreed.addAndGet(file.size());
        listener.fileDeleted(file.size());
        journal.add(file, s3.keyFor(file.relativePath()), FileState.DELETED, Optional.empty(), Optional.empty());
    }

    /** A verified file changed on disk before its unlink: kept for the next run (not a failure). */
    void changedBeforeDelete(LocalFile file) {
        counters.error(file.relativePath() + ": changed since it was verified; kept for the next run");
        log.info("{} changed since it was verified; kept", file.relativePath());
    }

    /** The unlink was refused (a symlink below a top-level directory, an unreadable directory). */
    void deleteFailed(LocalFile file, RuntimeException e) {
        // The file's failure, so the run does not end as SUCCEEDED.
        counters.filesFailed.incrementAndGet();
        counters.error(file.relativePath() + ": could not delete: " + e.getMessage());
        log.warn("Could not delete {}", file.relativePath(), e);
    }

    /** The database re-check keeps a verified media's files (purged, or accessed since the scan). */
    void keptByRecheck(MediaRow row, String reason) {
        counters.error(row.ref() + ": " + reason + "; local files kept");
        log.info("Keeping local files of {}: {}", row.ref(), reason);
    }

    /** The row's ids cannot be mapped to a safe path. */
    void mediaSkipped(MediaRow row, String reason) {
        counters.mediaSkipped.incrementAndGet();
        counters.error(row.ref() + ": skipped, " + reason);
        log.warn("Skipping media {}: {}", row.ref(), reason);
    }

    /** A path that would leave the store is the media's failure, not a skip: the run must not look clean. */
    void mediaRefused(MediaRow row, String reason) {
        counters.filesFailed.incrementAndGet();
        counters.error(row.ref() + ": files kept, " + reason);
        log.warn("Not reading media {}: {}", row.ref(), reason);
    }

    /** An unexpected error about one media; its files are kept. */
    void unexpected(MediaRow row, String doing, RuntimeException e) {
        log.error("Unexpected error {} media {}; its files are kept", doing, row.ref(), e);
        counters.error(row.ref() + ": unexpected error: " + e);
        counters.filesFailed.incrementAndGet();
    }

    /**
     * The run's totals ahead, as far as discovery knows them, for progress and the summary's backlog; passed on only
     * when they changed (the run asks after every window). Called by the run's own thread.
     */
    void planned(WorkStream.WorkEstimate estimate) {
        if (estimate.equals(lastPlanned)) {
            return;
        }
        lastPlanned = estimate;
        counters.mediaTotal.set(estimate.media());
        counters.filesTotal.set(estimate.files());
        counters.bytesTotal.set(estimate.bytes());
        counters.totalsExact.set(estimate.exact());
        listener.workPlanned(estimate.media(), estimate.files(), estimate.bytes());
    }

    /** Once, at the end of a run stopped by offload.max-run-duration: what the cap left for the next run. */
    void reportCap() {
        long unverified = unverifiedAtCap.get();
        long aborted = abortedAtCap.get();
        if (unverified + aborted == 0) {
            return;
        }
        String line = "offload.max-run-duration reached: " + unverified + " uploaded files not verified and "
                + aborted + " uploads aborted; their local files are kept, and the next run proves or uploads them";
        log.info("{}", line);
        counters.error(line);
    }

    /** A problem of the run as a whole (shown in its summary). */
    void problem(String line) {
        counters.error(line);
    }

    private void progressed(LocalFile file) {
        counters.filesDone.incrementAndGet();
        counters.bytesDone.addAndGet(file.size());
        listener.fileProgressed(file.size());
    }
}

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.LocalStore.MediaFiles;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one eligible media to the point where each of its local files is either proven to be in the bucket
 * (returned, ready for deletion) or kept with a reason: {@link #transfer} checks and uploads, {@link #verify} (after
 * the batch's uploads, see {@link MediaBatch}) confirms.
 *
 * <p>A file is returned only when (a) for an object we uploaded, the server accepted our Content-MD5 and echoed our
 * SSE-C key's MD5, and after the upload the store reports the object at that key with the local size; or (b) for
 * an object already there, a HEAD with our SSE-C key succeeded (it decrypts with our key) and {@link ContentProof}
 * proves it holds the local file's bytes. An existing object that is not proven is uploaded again and then proven
 * as (a). Both (a) and (b) read the local original once; where Synapse recorded its sha256, that read must hash to
 * it ({@link SynapseHash}), else the file is kept. The database re-check and the unchanged-file check happen at
 * deletion ({@link DeletionStage}).
 */
final class MediaOffloader {
    private static final Logger log = LoggerFactory.getLogger(MediaOffloader.class);

    private final LocalStore localStore;
    private final RemoteFiles remote;
    private final S3Config s3;
    private final long quietPeriodMs;
    private final boolean dryRun;
    private final Clock clock;
    private final JournalBuffer journal;
    private final RunCounters counters;
    private final RunListener listener;
    private final StopSignal stop;
    private final ContentProof proof;
    private final AtomicBoolean warnedUnproven = new AtomicBoolean();

    MediaOffloader(LocalStore localStore, RemoteFiles remote, S3Config s3, long quietPeriodMs, boolean dryRun,
            Clock clock, JournalBuffer journal, RunCounters counters, RunListener listener, StopSignal stop) {
        this.localStore = requireNonNull(localStore, "localStore is null");
        this.remote = requireNonNull(remote, "remote is null");
        this.s3 = requireNonNull(s3, "s3 is null");
        this.quietPeriodMs = quietPeriodMs;
        this.dryRun = dryRun;
        this.clock = requireNonNull(clock, "clock is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.stop = requireNonNull(stop, "stop is null");
        this.proof = new ContentProof(remote, localStore);
    }

    /** Lists the media's files; empty when the row cannot be mapped to a path (reported). */
    Optional<List<LocalFile>> filesOf(MediaRow row) {
        MediaFiles files = localStore.filesOf(row);
        if (files instanceof MediaFiles.Invalid invalid) {
            counters.mediaSkipped.incrementAndGet();
            counters.error(row.ref() + ": skipped, " + invalid.reason());
            log.warn("Skipping media {}: {}", row.ref(), invalid.reason());
            return Optional.empty();
        }
        if (files instanceof MediaFiles.Refused refused) {
            // A path that would leave the store is the media's failure, not a skip: the run must not look clean.
            counters.filesFailed.incrementAndGet();
            counters.error(row.ref() + ": files kept, " + refused.reason());
            log.warn("Not reading media {}: {}", row.ref(), refused.reason());
            return Optional.empty();
        }
        return Optional.of(((MediaFiles.Found) files).files());
    }

    /** A media part-way through: files already proven, and our uploads, which still need the after-listing. */
    static final class Transfer {
        private final MediaRow row;
        private final List<LocalFile> proven = new ArrayList<>();
        /** Uploaded files by the key prefix that lists them (see {@link #listPrefixOf}). */
        private final Map<String, List<Uploaded>> uploaded = new LinkedHashMap<>();

        Transfer(MediaRow row) {
            this.row = row;
        }

        MediaRow row() {
            return row;
        }
    }

    /**
     * Checks and uploads the media's files. {@code batchBefore} is a sweep over a batch of media made before any of
     * them was uploaded; a group of files it does not cover gets a listing of its own.
     */
    Transfer transfer(MediaRow row, List<LocalFile> files, RemoteFiles.Snapshot batchBefore) {
        long quietCutoff = clock.millis() - quietPeriodMs;
        Map<String, List<LocalFile>> groups = new LinkedHashMap<>();
        for (LocalFile file : files) {
            if (file.mtimeMs() > quietCutoff) {
                skip(file, "modified within offload.selection.quiet-period; Synapse may still be writing it");
            } else if (file.original() && file.size() != row.mediaLength().orElse(-1)) {
                // A truncated or half-written original must never replace a good copy in the bucket.
                skip(file, "size " + file.size() + " differs from media_length " + row.mediaLength().orElse(-1)
                        + "; neither uploaded nor deleted");
            } else {
                groups.computeIfAbsent(listPrefixOf(file), k -> new ArrayList<>()).add(file);
            }
        }
        Transfer transfer = new Transfer(row);
        for (Map.Entry<String, List<LocalFile>> group : groups.entrySet()) {
            if (stop.stopped()) {
                break;
            }
            transferGroup(group.getKey(), group.getValue(), batchBefore, transfer);
        }
        return transfer;
    }

    /**
     * Returns every file of the transfer proven to be in the bucket: those found there, and our uploads that
     * {@code batchAfter} (a sweep made after the uploads) or a listing of their own shows with the local size.
     */
    List<LocalFile> verify(Transfer transfer, RemoteFiles.Snapshot batchAfter) {
        List<LocalFile> proven = new ArrayList<>(transfer.proven);
        for (Map.Entry<String, List<Uploaded>> group : transfer.uploaded.entrySet()) {
            proven.addAll(verifyUploads(group.getKey(), group.getValue(), batchAfter));
        }
        return proven;
    }

    /** A file we uploaded in this run, with the store's receipt (the MD5 it accepted, the ETag it answered). */
    private record Uploaded(LocalFile file, PutReceipt receipt) {}

    /** The keys of the transfer's uploads. */
    List<String> uploadedKeys(Transfer transfer) {
        List<String> keys = new ArrayList<>();
        for (List<Uploaded> files : transfer.uploaded.values()) {
            for (Uploaded u : files) {
                keys.add(u.receipt().key());
            }
        }
        return keys;
    }

    /**
     * The tree a key lies in: {@code local_content/}, {@code local_thumbnails/}, or for remote media the origin's
     * directory under {@code remote_content/} or {@code remote_thumbnail/} (with the configured prefix).
     */
    String treeOf(String key) {
        int start = s3.prefix().length();
        int end = key.indexOf('/', start);
        if (end >= 0 && key.startsWith("remote_", start)) {
            int origin = key.indexOf('/', end + 1);
            end = origin >= 0 ? origin : end;
        }
        return end < 0 ? key : key.substring(0, end + 1);
    }

    /** The S3 keys of {@code files}, in order. */
    List<String> keysOf(List<LocalFile> files) {
        List<String> keys = new ArrayList<>(files.size());
        for (LocalFile file : files) {
            keys.add(s3.keyFor(file.relativePath()));
        }
        return keys;
    }

    /**
     * The key prefix one listing answers for: the original's own key, or the thumbnail directory (all of a
     * media's thumbnails in one request).
     */
    private String listPrefixOf(LocalFile file) {
        if (file.original()) {
            return s3.keyFor(file.relativePath());
        }
        String rel = file.relativePath();
        return s3.keyFor(rel.substring(0, rel.lastIndexOf('/') + 1));
    }

    private void transferGroup(String listPrefix, List<LocalFile> files, RemoteFiles.Snapshot batchBefore,
            Transfer transfer) {
        List<String> keys = keysOf(files);
        RemoteFiles.Snapshot before = batchBefore.coversAll(keys)
                ? batchBefore
                : remote.snapshot(listPrefix, keys, files);
        List<Uploaded> uploaded = new ArrayList<>();
        for (LocalFile file : files) {
            if (stop.stopped()) {
                break;
            }
            String key = s3.keyFor(file.relativePath());
            try {
                switch (decide(file, key, before)) {
                    case ALREADY_PRESENT -> {
                        counters.filesAlreadyInStore.incrementAndGet();
                        counters.bytesAlreadyInStore.addAndGet(file.size());
                        progressed(file);
                        finished(file, FileOutcome.ALREADY_PRESENT);
                        journal.add(file, key, FileState.VERIFIED, Optional.empty(), Optional.empty());
                        transfer.proven.add(file);
                    }
                    case UPLOAD -> {
                        if (dryRun) {
                            counters.filesUploaded.incrementAndGet();
                            counters.bytesUploaded.addAndGet(file.size());
                            progressed(file);
                            finished(file, FileOutcome.UPLOADED);
                        } else {
                            upload(file, key).ifPresent(receipt -> uploaded.add(new Uploaded(file, receipt)));
                        }
                    }
                    case KEEP -> {
                        // decide() already recorded why.
                    }
                }
            } catch (SynapseHash.Mismatch e) {
                contentDiffers(file, e);
            } catch (ObjectStoreException e) {
                remote.failed(e);
                fail(file, key, e.getMessage());
            }
        }
        if (!uploaded.isEmpty()) {
            transfer.uploaded.put(listPrefix, uploaded);
        }
    }

    private enum Decision {
        UPLOAD,
        ALREADY_PRESENT,
        KEEP
    }

    private Decision decide(LocalFile file, String key, RemoteFiles.Snapshot before) {
        if (before.knownAbsent(key)) {
            return Decision.UPLOAD;
        }
        HeadResult head = remote.head(key);
        if (head instanceof HeadResult.Present present) {
            if (present.size() == file.size()) {
                Optional<ContentProof.Kind> how = proof.prove(file, key, present);
                if (how.isPresent()) {
                    log.debug("Object {} holds the local bytes, proven by {}", key, how.get().description);
                    return Decision.ALREADY_PRESENT;
                }
                // Same size is not the same bytes; PUT is idempotent, and the upload is then proven as any other.
                if (warnedUnproven.compareAndSet(false, true)) {
                    log.warn("Object {} has the local size but its bytes are not proven equal to the local file's;"
                            + " uploading it again (and any other such object: see debug logs). If the bucket was"
                            + " pre-copied by another tool, run check-config once: it records whether this store's"
                            + " ETags or checksums can prove existing objects, which saves these uploads", key);
                } else {
                    log.debug("Object {} has the local size but its content is not proven equal; uploading again", key);
                }
                return Decision.UPLOAD;
            }
            if (file.original()) {
                // The original passed the media_length check, so it is the better copy.
                log.info("Object {} has size {}, local original {}; replacing it", key, present.size(), file.size());
                return Decision.UPLOAD;
            }
            skip(file, "object in the bucket has size " + present.size() + " but the local thumbnail " + file.size()
                    + "; kept (only originals, whose size the database confirms, replace objects)");
            return Decision.KEEP;
        }
        if (head instanceof HeadResult.Unreadable unreadable) {
            if (remote.mayRewriteUnreadable()) {
                log.info("Object {} is unreadable with our SSE-C key ({}); rewriting it", key, unreadable.code());
                return Decision.UPLOAD;
            }
            fail(file, key, "object exists but does not decrypt with our SSE-C key (HTTP " + unreadable.status() + " "
                    + unreadable.code() + "): Synapse cannot read it. Kept. Run check-config with --homeserver-config"
                    + " to confirm our key is the provider's, or set offload.s3.rewrite-unreadable = true");
            return Decision.KEEP;
        }
        if (head instanceof HeadResult.Unknown unknown && before.knownPresent(key)) {
            // The listing shows the object, so this 403 is not "missing without ListBucket": some stores (AWS)
            // answer a wrong SSE-C key with 403. Treat it as unreadable rather than overwrite it.
            if (remote.mayRewriteUnreadable()) {
                return Decision.UPLOAD;
            }
            fail(file, key, "object exists but HEAD with our SSE-C key was refused (HTTP " + unknown.status()
                    + "): it may be encrypted with another key. Kept. Run check-config with --homeserver-config to"
                    + " confirm our key is the provider's, or set offload.s3.rewrite-unreadable = true");
            return Decision.KEEP;
        }
        // Absent, or Unknown (403 without ListBucket permission): upload, then verify.
        return Decision.UPLOAD;
    }

    private Optional<PutReceipt> upload(LocalFile file, String key) {
        PutReceipt receipt = remote.put(key, localStore.uploadFile(file));
        if (!receipt.acknowledged()) {
            fail(file, key, "the store did not acknowledge our checksum"
                    + (receipt.sseKeyMd5Echoed() ? "" : " or did not echo our SSE-C key") + "; kept");
            return Optional.empty();
        }
        counters.filesUploaded.incrementAndGet();
        counters.bytesUploaded.addAndGet(file.size());
        // Progress moves now, not when the batch's after-listing verifies it (up to a batch of media later).
        progressed(file);
        journal.add(file, key, FileState.UPLOADED, Optional.of(receipt.md5Hex()), Optional.empty());
        return Optional.of(receipt);
    }

    /** Asks the store, after our uploads, whether each object is there with the right size. */
    private List<LocalFile> verifyUploads(String listPrefix, List<Uploaded> uploaded,
            RemoteFiles.Snapshot batchAfter) {
        List<LocalFile> proven = new ArrayList<>();
        RemoteFiles.Snapshot after;
        List<String> keys = new ArrayList<>();
        uploaded.forEach(u -> keys.add(u.receipt().key()));
        try {
            after = batchAfter.coversAll(keys) ? batchAfter : remote.snapshotAfterUpload(listPrefix);
        } catch (ObjectStoreException e) {
            remote.failed(e);
            for (Uploaded u : uploaded) {
                failUploaded(u.file(), u.receipt().key(), "uploaded but could not be verified: " + e.getMessage());
            }
            return proven;
        }
        for (Uploaded u : uploaded) {
            LocalFile file = u.file();
            String key = u.receipt().key();
            try {
                Optional<ListedObject> seen = after.objectAt(key).or(() -> headed(key));
                long size = seen.map(ListedObject::size).orElse(-1L);
                if (size == file.size()) {
                    finished(file, FileOutcome.UPLOADED);
                    journal.add(file, key, FileState.VERIFIED, Optional.empty(), Optional.empty());
                    recordProof(u.receipt(), seen.get());
                    proven.add(file);
                } else {
                    failUploaded(file, key, "uploaded, but the store reports " + (size < 0 ? "no object" : "size " + size)
                            + " instead of " + file.size() + "; kept");
                }
            } catch (ObjectStoreException e) {
                remote.failed(e);
                failUploaded(file, key, "uploaded but could not be verified: " + e.getMessage());
            }
        }
        return proven;
    }

    /** What a HEAD with our key shows at {@code key}, in a listing's terms; empty when there is no object. */
    private Optional<ListedObject> headed(String key) {
        return remote.head(key) instanceof HeadResult.Present p
                ? Optional.of(new ListedObject(key, p.size(), p.eTag(), p.lastModified()))
                : Optional.empty();
    }

    /**
     * Journals what a later run needs to trust this object without reading it back ({@link ContentProof}): only
     * when the store answered our PUT with the ETag it now shows, so the object seen is the one we sent.
     */
    private void recordProof(PutReceipt receipt, ListedObject seen) {
        if (receipt.eTag().isPresent() && receipt.eTag().equals(seen.eTag()) && seen.lastModified().isPresent()) {
            journal.addProof(new UploadProof(receipt.key(), remote.target(), receipt.md5Hex(), receipt.eTag().get(),
                    seen.size(), seen.lastModified().get()));
        }
    }

    private void progressed(LocalFile file) {
        counters.filesDone.incrementAndGet();
        counters.bytesDone.addAndGet(file.size());
        listener.fileProgressed(file.size());
    }

    private void finished(LocalFile file, FileOutcome outcome) {
        listener.fileFinished(outcome, file.size());
    }

    private void skip(LocalFile file, String reason) {
        counters.filesSkipped.incrementAndGet();
        counters.error(file.relativePath() + ": " + reason);
        log.debug("Skipped {}: {}", file.relativePath(), reason);
        progressed(file);
        finished(file, FileOutcome.SKIPPED);
        journal.add(file, s3.keyFor(file.relativePath()), FileState.SKIPPED, Optional.empty(), Optional.of(reason));
    }

    /**
     * The upload or the proof read bytes that do not hash to Synapse's sha256 (the hook of {@link SynapseHash}):
     * kept like an original whose size differs from media_length, and counted apart for the metric.
     */
    private void contentDiffers(LocalFile file, SynapseHash.Mismatch e) {
        listener.localContentDiffers(file.size());
        log.error("{}", e.getMessage());
        skip(file, e.getMessage());
    }

    private void fail(LocalFile file, String key, String reason) {
        progressed(file);
        failUploaded(file, key, reason);
    }

    /** A failure after {@link #upload} already counted the file's progress. */
    private void failUploaded(LocalFile file, String key, String reason) {
        counters.filesFailed.incrementAndGet();
        counters.error(file.relativePath() + ": " + reason);
        log.warn("Failed {}: {}", file.relativePath(), reason);
        finished(file, FileOutcome.FAILED);
        journal.add(file, key, FileState.FAILED, Optional.empty(), Optional.of(reason));
    }
}

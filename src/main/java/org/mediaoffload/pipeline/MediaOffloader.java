package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.LocalStore.MediaFiles;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions for one eligible media's files, from "what is in the bucket" to "proven there, ready for deletion":
 * {@link #prepare} lists the files, {@link #transfer} decides for each file (README, "Exactly when a local file is
 * deleted", the table) and uploads, {@link #verify} (once the uploads' verification listing is made) confirms.
 * Every outcome is recorded through the run's {@link Outcomes}.
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

    private final RunContext run;
    private final LocalStore localStore;
    private final RemoteFiles remote;
    private final S3Config s3;
    private final Outcomes outcomes;
    private final ContentProof proof;
    private final AtomicBoolean warnedUnproven = new AtomicBoolean();

    MediaOffloader(RunContext run, LocalStore localStore, RemoteFiles remote) {
        this.run = requireNonNull(run, "run is null");
        this.localStore = requireNonNull(localStore, "localStore is null");
        this.remote = requireNonNull(remote, "remote is null");
        this.s3 = run.s3();
        this.outcomes = run.outcomes();
        this.proof = new ContentProof(remote, localStore);
    }

    /** A media and its local files as stat'ed now, with the keys of those the journal says we offloaded before. */
    record Media(MediaRow row, List<LocalFile> files, Set<String> pulledBack) {
        /** The keys a listing may answer (a pulled-back file gets a HEAD instead). */
        List<String> listableKeys(S3Config s3) {
            List<String> keys = new ArrayList<>(files.size());
            for (LocalFile file : files) {
                String key = s3.keyFor(file.relativePath());
                if (!pulledBack.contains(key)) {
                    keys.add(key);
                }
            }
            return keys;
        }
    }

    /** Lists the media's files; empty when there are none or the row cannot be mapped to a path (reported). */
    Optional<Media> prepare(MediaRow row) {
        MediaFiles files = localStore.filesOf(row);
        if (files instanceof MediaFiles.Invalid invalid) {
            outcomes.mediaSkipped(row, invalid.reason());
            return Optional.empty();
        }
        if (files instanceof MediaFiles.Refused refused) {
            outcomes.mediaRefused(row, refused.reason());
            return Optional.empty();
        }
        List<LocalFile> found = ((MediaFiles.Found) files).files();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>(found.size());
        found.forEach(file -> keys.add(s3.keyFor(file.relativePath())));
        boolean[] before = remote.offloadedBefore(keys, found);
        Set<String> pulledBack = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            if (before[i]) {
                pulledBack.add(keys.get(i));
            }
        }
        return Optional.of(new Media(row, found, pulledBack));
    }

    /**
     * A file we uploaded in this run, with the store's receipt (the MD5 it accepted, the ETag it answered) and what
     * the key held before the upload.
     */
    record Uploaded(LocalFile file, PutReceipt receipt, HeadResult before) {}

    /** A media part-way through: files already proven, and our uploads, which still need their verification. */
    static final class Transfer {
        private final MediaRow row;
        private final List<LocalFile> proven = new ArrayList<>();
        private final List<Uploaded> uploaded = new ArrayList<>();

        Transfer(MediaRow row) {
            this.row = row;
        }

        MediaRow row() {
            return row;
        }

        List<Uploaded> uploaded() {
            return uploaded;
        }
    }

    /** Checks and uploads the media's files. */
    Transfer transfer(Media media) {
        MediaRow row = media.row();
        long quietCutoff = run.clock().millis() - run.config().selection().quietPeriod().toMillis();
        Transfer transfer = new Transfer(row);
        for (LocalFile file : media.files()) {
            // Past offload.max-run-duration too: no request of a new file starts after the cap (a media taken just
            // before it would otherwise send its thumbnails' HEADs and PUTs after it).
            if (!run.mayStartMore()) {
                break;
            }
            if (file.mtimeMs() > quietCutoff) {
                outcomes.skipped(file, "modified within offload.selection.quiet-period; Synapse may still be writing it");
                continue;
            }
            if (file.original() && file.size() != row.mediaLength().orElse(-1)) {
                // A truncated or half-written original must never replace a good copy in the bucket.
                outcomes.skipped(file, "size " + file.size() + " differs from media_length "
                        + row.mediaLength().orElse(-1) + "; neither uploaded nor deleted");
                continue;
            }
            // Synapse's sha256 (the row's, carried by the LocalFile) is checked on the bytes read below, in the same
            // reads that prove them: ContentProof's local digest (an object already there) and the upload's read.
            // A mismatch (SynapseHash.Mismatch) is handled like a truncated original: neither uploaded nor deleted.
            String key = s3.keyFor(file.relativePath());
            try {
                HeadResult before = remote.before(key, media.pulledBack().contains(key));
                switch (decide(file, key, before)) {
                    case ALREADY_PRESENT -> {
                        outcomes.present(file, key);
                        transfer.proven.add(file);
                    }
                    case UPLOAD -> {
                        if (run.dryRun()) {
                            outcomes.wouldUpload(file);
                        } else {
                            upload(file, key).ifPresent(
                                    receipt -> transfer.uploaded.add(new Uploaded(file, receipt, before)));
                        }
                    }
                    case KEEP -> {
                        // decide() already recorded why.
                    }
                }
            } catch (SynapseHash.Mismatch e) {
                outcomes.contentDiffers(file, e);
            } catch (ObjectStoreException e) {
                if (run.uploadsAborted()) {
                    // Aborted by the run at its cap: neither the store's failure (no outage) nor the file's.
                    outcomes.uploadAbortedAtCap(file, key);
                    break;
                }
                remote.failed(e);
                outcomes.failed(file, key, e.getMessage());
            }
        }
        return transfer;
    }

    /**
     * Returns every file of the transfer proven to be in the bucket: those found there, and our uploads that
     * {@code seen} (a verification made after their PUTs returned) shows with the local size.
     */
    List<LocalFile> verify(Transfer transfer, BucketAnswers.Seen seen) {
        List<LocalFile> proven = new ArrayList<>(transfer.proven);
        for (Uploaded u : transfer.uploaded) {
            LocalFile file = u.file();
            String key = u.receipt().key();
            try {
                Optional<ListedObject> object = seen.at(key);
                long size = object.map(ListedObject::size).orElse(-1L);
                Optional<String> other = object.flatMap(o -> otherETag(u.receipt(), o));
                Optional<String> old = object.flatMap(o -> ObjectBefore.mayBeTheOldObject(u.receipt(), u.before(), o));
                if (size == file.size() && old.isPresent()) {
                    outcomes.failedAfterUpload(file, key, old.get());
                } else if (size == file.size() && other.isPresent()) {
                    // Same size is not our object: a store that answered our PUT but kept (or a stale listing that
                    // still shows) what was there before, e.g. a same-sized object written by another tool.
                    outcomes.failedAfterUpload(file, key, "uploaded, but the store lists ETag " + other.get()
                            + " at the key, not the ETag " + u.receipt().eTag().orElseThrow()
                            + " its PUT answered: not our object; kept");
                } else if (size == file.size() && u.before() instanceof HeadResult.Unreadable
                        && !readableWithOurKey(key, file)) {
                    // The key held an object our key cannot read; a store that answered our PUT but kept it lists
                    // the local size, and the same ETag where it held the same bytes (plaintext-MD5 ETags).
                    outcomes.failedAfterUpload(file, key, "uploaded over an object our SSE-C key could not read, but"
                            + " a HEAD with our SSE-C key after the upload does not show an object of the local size:"
                            + " the store may have kept the old object; kept");
                } else if (size == file.size()) {
                    outcomes.verified(file, u.receipt(), object.get(), remote.target());
                    proven.add(file);
                } else {
                    outcomes.failedAfterUpload(file, key, "uploaded, but the store reports "
                            + (size < 0 ? "no object" : "size " + size) + " instead of " + file.size() + "; kept");
                }
            } catch (ObjectStoreException e) {
                remote.failed(e);
                outcomes.failedAfterUpload(file, key, "uploaded but could not be verified: " + e.getMessage());
            }
        }
        return proven;
    }

    /** A HEAD with our SSE-C key (which also insists on its echo) shows an object of the local size at the key. */
    private boolean readableWithOurKey(String key, LocalFile file) {
        return remote.before(key, true) instanceof HeadResult.Present present && present.size() == file.size();
    }

    /**
     * The listed ETag when it differs from the one the PUT answered. Where either is missing (Ceph RGW answers
     * CompleteMultipartUpload with an empty ETag) nothing is compared; an ETag is opaque, but the same object
     * answers the same one to its PUT, its listing and its HEAD (AWS's SSE-C ETags included).
     */
    private static Optional<String> otherETag(PutReceipt receipt, ListedObject listed) {
        if (receipt.eTag().isEmpty() || listed.eTag().isEmpty() || receipt.eTag().get().isEmpty()
                || listed.eTag().get().isEmpty() || receipt.eTag().get().equals(listed.eTag().get())) {
            return Optional.empty();
        }
        return listed.eTag();
    }

    private enum Decision {
        UPLOAD,
        ALREADY_PRESENT,
        KEEP
    }

    /** The README's decision table, for one file, given what the bucket holds at its key. */
    private Decision decide(LocalFile file, String key, HeadResult head) {
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
            outcomes.skipped(file, "object in the bucket has size " + present.size() + " but the local thumbnail "
                    + file.size() + "; kept (only originals, whose size the database confirms, replace objects)");
            return Decision.KEEP;
        }
        if (head instanceof HeadResult.Unreadable unreadable) {
            if (remote.mayRewriteUnreadable()) {
                log.info("Object {} is unreadable with our SSE-C key ({}); rewriting it", key, unreadable.code());
                return Decision.UPLOAD;
            }
            outcomes.failed(file, key, "object exists but does not decrypt with our SSE-C key (HTTP "
                    + unreadable.status() + " " + unreadable.code() + "): Synapse cannot read it. Kept. Run"
                    + " check-config with --homeserver-config to confirm our key is the provider's, or set"
                    + " offload.s3.rewrite-unreadable = true");
            return Decision.KEEP;
        }
        // Absent, or Unknown (403 without ListBucket permission): upload, then verify.
        return Decision.UPLOAD;
    }

    private Optional<PutReceipt> upload(LocalFile file, String key) {
        PutReceipt receipt = remote.put(key, localStore.uploadFile(file));
        if (!receipt.acknowledged()) {
            outcomes.failed(file, key, "the store did not acknowledge our checksum"
                    + (receipt.sseKeyMd5Echoed() ? "" : " or did not echo our SSE-C key") + "; kept");
            return Optional.empty();
        }
        outcomes.uploaded(file, receipt);
        return Optional.of(receipt);
    }
}

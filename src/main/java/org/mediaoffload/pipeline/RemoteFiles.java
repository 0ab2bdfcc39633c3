package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.mediaoffload.pipeline.ObjectStore.ChecksumAlgorithm;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.LocalDigest;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bucket as one run uses it, spending as few requests as the safety rules allow.
 *
 * <p>Requests per file: a {@link KeyRangeSweep} over the keys of a batch of neighbouring media answers "is it
 * there, and how big" for all of them, usually in one request, before upload and again after. Where the sweep has
 * given up (a bucket much denser than the work), a listing of each media's own key range does the same for the
 * original (one request) and for all of its thumbnails together (one request). Only keys a listing shows get a HEAD
 * with our SSE-C key (to prove the object decrypts with it); absent keys go straight to PUT. Files the journal says
 * we offloaded before (Synapse pulled them back) are never swept or listed: they get a HEAD each. Without ListBucket
 * permission (403 on list), the run falls back to HEAD for every check.
 */
final class RemoteFiles {
    private static final Logger log = LoggerFactory.getLogger(RemoteFiles.class);

    private final ObjectStore store;
    private final KeyRangeSweep sweep;
    private final OffloadJournal journal;
    private final OutageDetector outage;
    private final boolean mayRewriteUnreadable;
    private final String target;
    private final StoreCapabilities capabilities;
    private final RefusalStreak refusals;
    private volatile boolean listingAllowed = true;

    /**
     * @param target       {@link TargetFingerprint} of the bucket; journal proofs apply only to it
     * @param capabilities what check-config's probes showed about this target
     */
    RemoteFiles(ObjectStore store, OffloadJournal journal, OutageDetector outage, boolean mayRewriteUnreadable,
            String target, StoreCapabilities capabilities, RefusalStreak refusals) {
        this.store = requireNonNull(store, "store is null");
        this.sweep = new KeyRangeSweep(store);
        this.journal = requireNonNull(journal, "journal is null");
        this.outage = requireNonNull(outage, "outage is null");
        this.mayRewriteUnreadable = mayRewriteUnreadable;
        this.target = requireNonNull(target, "target is null");
        this.capabilities = requireNonNull(capabilities, "capabilities is null");
        this.refusals = requireNonNull(refusals, "refusals is null");
    }

    boolean mayRewriteUnreadable() {
        return mayRewriteUnreadable;
    }

    /**
     * What the bucket holds at the keys of a batch's files before upload, leaving out the files the journal says we
     * offloaded before (Synapse pulled them back; a HEAD each proves they still decrypt with our key). Covers none,
     * some or all of the keys: whatever it does not cover the caller checks with {@link #snapshot}.
     *
     * @param keys the keys of {@code files}, in the same order
     */
    Snapshot sweepBeforeUpload(List<String> keys, List<LocalFile> files, Function<String, String> treeOf) {
        if (!sweeping() || keys.isEmpty()) {
            return Snapshot.UNKNOWN;
        }
        Map<String, JournalEntry> known = journal.lookup(keys);
        List<String> sweepKeys = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            if (!offloadedBefore(known.get(keys.get(i)), files.get(i))) {
                sweepKeys.add(keys.get(i));
            }
        }
        return sweep(sweepKeys, treeOf);
    }

    /**
     * What the bucket holds at {@code keys} after a batch's uploads. Whatever it does not cover the caller checks with
     * {@link #snapshotAfterUpload}.
     */
    Snapshot sweepAfterUpload(Collection<String> keys, Function<String, String> treeOf) {
        return sweep(keys, treeOf);
    }

    private boolean sweeping() {
        return listingAllowed && sweep.enabled();
    }

    private Snapshot sweep(Collection<String> keys, Function<String, String> treeOf) {
        if (!sweeping() || keys.isEmpty()) {
            return Snapshot.UNKNOWN;
        }
        try {
            KeyRangeSweep.Answer answer = sweep.sweep(keys, treeOf);
            outage.success();
            Set<String> answered = answer.answered();
            return new Snapshot(answered::contains, answer.objects());
        } catch (ObjectStoreException e) {
            listFailed(e);
            return Snapshot.UNKNOWN;
        }
    }

    /** What the bucket holds under {@code listPrefix} before we upload; unknown keys must be HEADed. */
    Snapshot snapshot(String listPrefix, List<String> keys, List<LocalFile> files) {
        if (!listingAllowed || offloadedBefore(keys, files)) {
            return Snapshot.UNKNOWN;
        }
        return list(listPrefix);
    }

    /** What the bucket holds under {@code listPrefix} after our uploads. */
    Snapshot snapshotAfterUpload(String listPrefix) {
        if (!listingAllowed) {
            return Snapshot.UNKNOWN;
        }
        return list(listPrefix);
    }

    /** HEAD with our key; with the store's checksum where its probe showed it keeps real ones. */
    HeadResult head(String key) {
        HeadResult result = store.head(key, capabilities.refusesWrongChecksum());
        outage.success();
        return result;
    }

    /** The local file's MD5 and, when asked, one full-object checksum, read as an upload reads it. */
    LocalDigest digest(UploadFile file, Optional<ChecksumAlgorithm> also) {
        return store.digest(file, also);
    }

    StoreCapabilities capabilities() {
        return capabilities;
    }

    String target() {
        return target;
    }

    Optional<UploadProof> uploadProof(String key) {
        return journal.uploadProof(key, target);
    }

    PutReceipt put(String key, UploadFile file) {
        PutReceipt receipt;
        try {
            receipt = store.put(key, file, capabilities.verifiesSha256());
        } catch (ObjectStoreException e) {
            refusals.refused(e);
            throw e;
        }
        refusals.accepted();
        outage.success();
        return receipt;
    }

    void failed(ObjectStoreException e) {
        outage.failure(e);
    }

    private boolean offloadedBefore(List<String> keys, List<LocalFile> files) {
        Map<String, JournalEntry> known = journal.lookup(keys);
        for (int i = 0; i < keys.size(); i++) {
            if (!offloadedBefore(known.get(keys.get(i)), files.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The journal says we verified or deleted this very file (same size) in an earlier run. */
    private static boolean offloadedBefore(JournalEntry entry, LocalFile file) {
        return entry != null && entry.size() == file.size()
                && (entry.state() == FileState.VERIFIED || entry.state() == FileState.DELETED);
    }

    private Snapshot list(String listPrefix) {
        try {
            Collection<ListedObject> objects = store.list(listPrefix);
            outage.success();
            Map<String, ListedObject> found = new HashMap<>();
            for (ListedObject object : objects) {
                found.put(object.key(), object);
            }
            return new Snapshot(key -> key.startsWith(listPrefix), found);
        } catch (ObjectStoreException e) {
            listFailed(e);
            return Snapshot.UNKNOWN;
        }
    }

    private void listFailed(ObjectStoreException e) {
        if (e.status() == 403) {
            if (listingAllowed) {
                log.warn("Listing the bucket is not allowed (403); checking every file with HEAD instead."
                        + " Grant s3:ListBucket to save requests.");
            }
            listingAllowed = false;
        } else {
            outage.failure(e);
        }
    }

    /** A listing's answer for the keys it covers; {@link #UNKNOWN} covers none. */
    static final class Snapshot {
        static final Snapshot UNKNOWN = new Snapshot(key -> false, Map.of());

        private final Predicate<String> covers;
        private final Map<String, ListedObject> objects;

        Snapshot(Predicate<String> covers, Map<String, ListedObject> objects) {
            this.covers = covers;
            this.objects = objects;
        }

        boolean coversAll(Collection<String> keys) {
            for (String key : keys) {
                if (!covers.test(key)) {
                    return false;
                }
            }
            return true;
        }

        boolean knownAbsent(String key) {
            return covers.test(key) && !objects.containsKey(key);
        }

        boolean knownPresent(String key) {
            return covers.test(key) && objects.containsKey(key);
        }

        /** The listed object at {@code key}: its size, and where the store listed them, ETag and Last-Modified. */
        Optional<ListedObject> objectAt(String key) {
            return Optional.ofNullable(objects.get(key));
        }
    }
}

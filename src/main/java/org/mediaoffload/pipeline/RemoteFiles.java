package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bucket as one run uses it, spending as few requests as the safety rules allow.
 *
 * <p>Requests per file: a listing of the media's key range answers "is it there, and how big" for the original
 * (one request) and for all of its thumbnails together (one request). Only keys the listing shows get a HEAD with
 * our SSE-C key (to prove the object decrypts with it); absent keys go straight to PUT. After uploading, one more
 * listing of the same range confirms every object and its size. Files the journal says we offloaded before
 * (Synapse pulled them back) skip the first listing and get a HEAD each. Without ListBucket permission (403 on
 * list), the run falls back to HEAD for every check.
 */
final class RemoteFiles {
    private static final Logger log = LoggerFactory.getLogger(RemoteFiles.class);

    private final ObjectStore store;
    private final OffloadJournal journal;
    private final OutageDetector outage;
    private final boolean mayRewriteUnreadable;
    private volatile boolean listingAllowed = true;

    RemoteFiles(ObjectStore store, OffloadJournal journal, OutageDetector outage, boolean mayRewriteUnreadable) {
        this.store = requireNonNull(store, "store is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.outage = requireNonNull(outage, "outage is null");
        this.mayRewriteUnreadable = mayRewriteUnreadable;
    }

    boolean mayRewriteUnreadable() {
        return mayRewriteUnreadable;
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

    HeadResult head(String key) {
        HeadResult result = store.head(key);
        outage.success();
        return result;
    }

    Optional<Long> headSize(String key) {
        return head(key) instanceof HeadResult.Present present ? Optional.of(present.size()) : Optional.empty();
    }

    PutReceipt put(String key, LocalFile file) {
        PutReceipt receipt = store.put(key, file.path(), file.size());
        outage.success();
        return receipt;
    }

    void failed(ObjectStoreException e) {
        outage.failure(e);
    }

    private boolean offloadedBefore(List<String> keys, List<LocalFile> files) {
        Map<String, JournalEntry> known = journal.lookup(keys);
        for (int i = 0; i < keys.size(); i++) {
            JournalEntry entry = known.get(keys.get(i));
            if (entry == null || entry.size() != files.get(i).size()
                    || !(entry.state() == FileState.VERIFIED || entry.state() == FileState.DELETED)) {
                return false;
            }
        }
        return true;
    }

    private Snapshot list(String listPrefix) {
        try {
            Collection<ListedObject> objects = store.list(listPrefix);
            outage.success();
            Map<String, Long> sizes = new HashMap<>();
            for (ListedObject object : objects) {
                sizes.put(object.key(), object.size());
            }
            return new Snapshot(true, sizes);
        } catch (ObjectStoreException e) {
            if (e.status() == 403) {
                if (listingAllowed) {
                    log.warn("Listing the bucket is not allowed (403); checking every file with HEAD instead."
                            + " Grant s3:ListBucket to save requests.");
                }
                listingAllowed = false;
            } else {
                outage.failure(e);
            }
            return Snapshot.UNKNOWN;
        }
    }

    /** A listing's answer; {@link #UNKNOWN} when no listing was made. */
    static final class Snapshot {
        static final Snapshot UNKNOWN = new Snapshot(false, Map.of());

        private final boolean listed;
        private final Map<String, Long> sizes;

        Snapshot(boolean listed, Map<String, Long> sizes) {
            this.listed = listed;
            this.sizes = sizes;
        }

        boolean knownAbsent(String key) {
            return listed && !sizes.containsKey(key);
        }

        boolean knownPresent(String key) {
            return listed && sizes.containsKey(key);
        }

        Optional<Long> sizeOf(String key) {
            return Optional.ofNullable(sizes.get(key));
        }
    }
}

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mediaoffload.pipeline.ObjectStore.ChecksumAlgorithm;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.LocalDigest;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;

/**
 * The bucket as one run uses it: the {@link BucketAnswers} port for "what is there", uploads and local digests
 * through the {@link ObjectStore}, and what the journal knows about our earlier uploads. Every store request's
 * outcome goes to the run's {@link OutageDetector} (successes and failures alike, see {@link #failed}) and every
 * upload's to its {@link RefusalStreak}.
 *
 * <p>Files the journal says we offloaded before (Synapse pulled them back) are never listed: they get a HEAD each.
 */
final class RemoteFiles {
    private final ObjectStore store;
    private final BucketAnswers answers;
    private final OffloadJournal journal;
    private final OutageDetector outage;
    private final boolean mayRewriteUnreadable;
    private final String target;
    private final StoreCapabilities capabilities;
    private final RefusalStreak refusals;

    /**
     * @param target       {@link TargetFingerprint} of the bucket; journal proofs apply only to it
     * @param capabilities what check-config's probes showed about this target
     */
    RemoteFiles(ObjectStore store, BucketAnswers.Factory answers, OffloadJournal journal, OutageDetector outage,
            boolean mayRewriteUnreadable, String target, StoreCapabilities capabilities, RefusalStreak refusals) {
        this.store = requireNonNull(store, "store is null");
        this.outage = requireNonNull(outage, "outage is null");
        this.capabilities = requireNonNull(capabilities, "capabilities is null");
        this.answers = answers.open(outage, capabilities.refusesWrongChecksum());
        this.journal = requireNonNull(journal, "journal is null");
        this.mayRewriteUnreadable = mayRewriteUnreadable;
        this.target = requireNonNull(target, "target is null");
        this.refusals = requireNonNull(refusals, "refusals is null");
    }

    boolean mayRewriteUnreadable() {
        return mayRewriteUnreadable;
    }

    /** Lets one listing answer the keys of the media about to be transferred (see {@link BucketAnswers#expect}). */
    void expect(Collection<String> keys) {
        answers.expect(keys);
    }

    /** What is at {@code key} before our upload; {@code offloadedBefore} files get a HEAD, no listing. */
    HeadResult before(String key, boolean offloadedBefore) {
        return answers.before(key, !offloadedBefore);
    }

    /** A fresh look at keys whose PUTs have all returned. */
    BucketAnswers.Seen after(Collection<String> keys) {
        return answers.after(keys);
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
        outage.answered();
        return receipt;
    }

    /** A request that threw (HEAD, PUT, a local read): counts toward an outage if it looks like one. */
    void failed(ObjectStoreException e) {
        outage.failed(e);
    }

    /** Which of {@code files} (keys in the same order) the journal says we verified or deleted before, same size. */
    boolean[] offloadedBefore(List<String> keys, List<LocalFile> files) {
        Map<String, JournalEntry> known = journal.lookup(keys);
        boolean[] before = new boolean[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            JournalEntry entry = known.get(keys.get(i));
            before[i] = entry != null && entry.size() == files.get(i).size()
                    && (entry.state() == FileState.VERIFIED || entry.state() == FileState.DELETED);
        }
        return before;
    }
}

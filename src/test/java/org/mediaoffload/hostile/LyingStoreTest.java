package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.OTHER_SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * A store that lies: it answers 200 (right ETag, SSE-C key echoed, Content-MD5 checked) to a PUT whose bytes it then
 * drops, or lists fewer objects than it holds while saying the listing is complete. The run may fail files, but it
 * must never delete one whose bytes the bucket does not hold.
 */
class LyingStoreTest {
    @RegisterExtension
    static final MisbehavingServer S3 = new MisbehavingServer();

    @TempDir
    Path tmp;

    private OffloadHarness h;

    @AfterEach
    void close() throws Exception {
        S3.store().reset();
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aPutAnsweredButNotStoredKeepsTheFile() throws Exception {
        h = new OffloadHarness(Db.SQLITE, tmp, S3.server());
        String media = "forgottenPutMediaAAAAAAA";
        byte[] ours = bytes(300, 1);
        h.addLocal(media, ours, 3 * DAY_MS);
        S3.store().forgetPutsOf(h.key(localOriginal(media)));

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(h.localExists(localOriginal(media))).isTrue();
        assertThat(h.objectBytes(localOriginal(media))).isEmpty();
        assertThat(summary.errors()).anyMatch(e -> e.contains(localOriginal(media)) && e.contains("no object"));
    }

    @Test
    void aPutThatStoresHalfTheBytesKeepsTheFile() throws Exception {
        h = new OffloadHarness(Db.POSTGRES, tmp, S3.server());
        String media = "halvedPutMediaAAAAAAAAAA";
        h.addLocal(media, bytes(3_000, 2), 3 * DAY_MS);
        S3.store().halvePutsOf(h.key(localOriginal(media)));

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(h.localExists(localOriginal(media))).isTrue();
        assertThat(summary.errors()).anyMatch(e -> e.contains(localOriginal(media)) && e.contains("size 1500"));
    }

    /**
     * The dangerous variant: an object of the same size (other bytes, our key: e.g. what another tool wrote, or an
     * earlier version) already sits at the key, no content proof holds, so the file is uploaded again; the store
     * answers that PUT as stored but keeps the old object. The verification listing then shows an object of the
     * local size at the key, which is not the one the PUT answered for (its ETag differs).
     */
    @Test
    void aPutAnsweredButNotStoredOverASameSizedObjectKeepsTheFile() throws Exception {
        h = new OffloadHarness(Db.SQLITE, tmp, S3.server());
        String media = "staleObjectMediaAAAAAAAA";
        byte[] ours = bytes(300, 3);
        byte[] theirs = bytes(300, 4);
        h.addLocal(media, ours, 3 * DAY_MS);
        h.putObject(localOriginal(media), theirs, Optional.of(SSE_KEY));
        h.pinTarget(); // one object cannot be sampled for the pin; the admin accepted the target
        S3.store().forgetPutsOf(h.key(localOriginal(media)));

        RunSummary summary = h.run();

        NothingLost.assertLocalOrInTheBucket(h, Map.of(localOriginal(media), ours));
        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(h.localExists(localOriginal(media))).isTrue();

        // Once the store stores again, the next run replaces the object and deletes the file.
        S3.store().reset();
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.localExists(localOriginal(media))).isFalse();
        assertThat(h.objectBytes(localOriginal(media))).contains(ours);
    }

    /**
     * The same, with a PUT answer that carries no ETag at all (a proxy in front of the store that strips it): with
     * nothing to compare, the object that was there before (same size, other bytes) must not pass for ours.
     */
    @Test
    void aPutAnsweredWithoutAnETagButNotStoredOverASameSizedObjectKeepsTheFile() throws Exception {
        h = new OffloadHarness(Db.POSTGRES, tmp, S3.server());
        String media = "noETagStaleMediaAAAAAAAA";
        byte[] ours = bytes(300, 5);
        byte[] theirs = bytes(300, 6);
        h.addLocal(media, ours, 3 * DAY_MS);
        h.putObject(localOriginal(media), theirs, Optional.of(SSE_KEY));
        h.pinTarget();
        S3.store().forgetPutsWithoutETagOf(h.key(localOriginal(media)));

        RunSummary summary = h.run();

        NothingLost.assertLocalOrInTheBucket(h, Map.of(localOriginal(media), ours));
        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(h.localExists(localOriginal(media))).isTrue();
        assertThat(summary.errors()).anyMatch(e -> e.contains(localOriginal(media)) && e.contains("no ETag"));

        S3.store().reset();
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.localExists(localOriginal(media))).isFalse();
        assertThat(h.objectBytes(localOriginal(media))).contains(ours);
    }

    /**
     * The dangerous variant again, with the PUT's ETag intact but listings that carry none: the listing cannot tell
     * the object that was there from ours, so its unchanged Last-Modified must.
     */
    @Test
    void aPutNotStoredOverASameSizedObjectWithListingsWithoutETagsKeepsTheFile() throws Exception {
        h = new OffloadHarness(Db.SQLITE, tmp, S3.server());
        String media = "noListedETagMediaAAAAAAA";
        byte[] ours = bytes(300, 11);
        h.addLocal(media, ours, 3 * DAY_MS);
        h.putObject(localOriginal(media), bytes(300, 12), Optional.of(SSE_KEY));
        h.pinTarget();
        S3.store().listWithoutETags();
        S3.store().forgetPutsOf(h.key(localOriginal(media)));

        RunSummary summary = h.run();

        NothingLost.assertLocalOrInTheBucket(h, Map.of(localOriginal(media), ours));
        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(h.localExists(localOriginal(media))).isTrue();
        assertThat(summary.errors()).anyMatch(e -> e.contains(localOriginal(media)) && e.contains("no ETag"));
    }

    /**
     * Multipart, as Ceph RGW answers it: CompleteMultipartUpload with an empty ETag, so nothing to compare the
     * listing with. Over an older object of the same size, a Complete that really completed is verified (the key
     * lists another ETag) and the file deleted; one answered 200 but never completed leaves the old object, which
     * must not pass for ours.
     */
    @Test
    void aMultipartCompleteAnsweredWithoutAnETagIsVerifiedOnlyWhenTheObjectChanged() throws Exception {
        h = new OffloadHarness(Db.SQLITE, tmp, S3.server());
        int size = (8 << 20) + 1_000; // above the harness's 8 MiB multipart threshold
        String kept = "forgottenCompleteMediaAA";
        String replaced = "honestCompleteMediaAAAAA";
        byte[] keptLocal = bytes(size, 7);
        byte[] replacedLocal = bytes(size, 8);
        h.addLocal(kept, keptLocal, 3 * DAY_MS);
        h.addLocal(replaced, replacedLocal, 3 * DAY_MS);
        h.putObject(localOriginal(kept), bytes(size, 9), Optional.of(SSE_KEY));
        h.putObject(localOriginal(replaced), bytes(size, 10), Optional.of(SSE_KEY));
        h.pinTarget();
        S3.store().forgetCompletesOf(h.key(localOriginal(kept)));
        S3.store().completeWithoutETagOf(h.key(localOriginal(replaced)));

        RunSummary summary = h.run();

        NothingLost.assertLocalOrInTheBucket(h, Map.of(localOriginal(kept), keptLocal,
                localOriginal(replaced), replacedLocal));
        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(h.localExists(localOriginal(kept))).isTrue();
        assertThat(summary.errors()).anyMatch(e -> e.contains(localOriginal(kept)) && e.contains("no ETag"));
        assertThat(h.localExists(localOriginal(replaced))).as("really replaced, so verified").isFalse();
    }

    /**
     * With offload.s3.rewrite-unreadable, over an object written with another SSE-C key that holds the same bytes
     * (so, on a store whose ETag is the plaintext MD5, the same ETag our PUT answers): the store answers our PUT and
     * keeps the old object. Size and ETag then agree, but Synapse cannot read that object with our key; only a HEAD
     * with our key after the upload tells.
     */
    @Test
    void aRewriteOfAnUnreadableObjectThatTheStoreDroppedKeepsTheFile() throws Exception {
        h = new OffloadHarness(Db.SQLITE, tmp, S3.server());
        String media = "unreadableKeptMediaAAAAA";
        byte[] ours = bytes(300, 13);
        h.addLocal(media, ours, 3 * DAY_MS);
        h.putObject(localOriginal(media), ours, Optional.of(OTHER_SSE_KEY));
        h.pinTarget();
        h.rewriteUnreadable = true;
        S3.store().forgetPutsOf(h.key(localOriginal(media)));

        RunSummary summary = h.run();

        NothingLost.assertLocalOrInTheBucket(h, Map.of(localOriginal(media), ours));
        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        assertThat(h.localExists(localOriginal(media))).isTrue();
        assertThat(summary.errors()).anyMatch(e -> e.contains(localOriginal(media)) && e.contains("our SSE-C key"));

        S3.store().reset();
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.localExists(localOriginal(media))).isFalse();
        assertThat(h.objectBytes(localOriginal(media))).contains(ours);
    }

    /**
     * Half the media are already in the bucket (uploaded by a run that kept its files); then every listing page is
     * cut to 3 objects and claims to be the last. What a listing hides looks absent (uploaded again, harmless) and
     * is deleted only once an answer showed our object; nothing is deleted that the bucket does not hold.
     */
    @Test
    void aListingCutShortWithoutIsTruncatedDeletesNothingUnproven() throws Exception {
        h = new OffloadHarness(Db.POSTGRES, tmp, S3.server());
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            String media = String.format("cutListingMedia%09d", i);
            byte[] content = bytes(1_000 + i, 100 + i);
            h.addLocal(media, content, 3 * DAY_MS);
            files.put(localOriginal(media), content);
        }
        h.deleteLocal = false;
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        h.deleteLocal = true;
        S3.store().cutListingsAt(3);

        RunSummary summary = h.run();

        assertThat(summary.status()).isIn(RunStatus.SUCCEEDED, RunStatus.FAILED_FILES);
        NothingLost.assertLocalOrInTheBucket(h, files);

        S3.store().reset();
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        NothingLost.assertLocalOrInTheBucket(h, files);
        assertThat(files.keySet().stream().filter(h::localExists)).isEmpty();
    }
}

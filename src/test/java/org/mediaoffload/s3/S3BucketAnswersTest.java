package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mediaoffload.pipeline.BucketAnswers;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.testing.InMemoryObjectStore;

/** The bucket's answers over the in-memory store: which requests answer what, and what each answer may claim. */
class S3BucketAnswersTest {
    private static final String KEY = "k3yForT3sts-0123456789abcdefABCD";

    private final InMemoryObjectStore store = InMemoryObjectStore.builder().sseKey(Optional.of(KEY)).build();
    private final Health health = new Health();

    private BucketAnswers answers(String prefix) {
        return new S3BucketAnswers(store, prefix, health, false);
    }

    @Test
    void intoAnEmptyBucketOneListingAnswersAWholeFirstMigration() {
        BucketAnswers answers = answers("pre/");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String id = String.format("%04dmedia", i);
            keys.add("pre/local_content/" + id.substring(0, 2) + "/" + id.substring(2, 4) + "/" + id.substring(4));
            keys.add("pre/local_thumbnails/" + id.substring(0, 2) + "/" + id.substring(2, 4) + "/" + id.substring(4)
                    + "/32-32-image-png");
            keys.add("pre/remote_content/example.com.au/" + id.substring(0, 2) + "/" + id.substring(2));
        }
        answers.expect(keys.subList(0, 3));

        for (String key : keys) {
            assertThat(answers.before(key, true)).as(key).isEqualTo(new HeadResult.Absent());
        }
        assertThat(store.requests(InMemoryObjectStore.LIST)).isEqualTo(1);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isZero();
        assertThat(health.answered.get()).isPositive();
    }

    @Test
    void aListedObjectGetsAHeadWithOurKeyAndAnAbsentOneNothing() {
        store.seed("local_content/aa/bb/ours", new byte[10]);
        store.seed(store.object("local_content/aa/bb/theirs", new byte[10]).encryptedWith("another-key-0123456789abcdefABCD"));
        BucketAnswers answers = answers("");
        answers.expect(List.of("local_content/aa/bb/absent", "local_content/aa/bb/ours", "local_content/aa/bb/theirs"));

        assertThat(answers.before("local_content/aa/bb/absent", true)).isEqualTo(new HeadResult.Absent());
        assertThat(answers.before("local_content/aa/bb/ours", true)).isInstanceOfSatisfying(HeadResult.Present.class,
                p -> assertThat(p.size()).isEqualTo(10));
        assertThat(answers.before("local_content/aa/bb/theirs", true)).isInstanceOf(HeadResult.Unreadable.class);
        assertThat(store.requests(InMemoryObjectStore.LIST)).isEqualTo(1);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isEqualTo(2);
    }

    @Test
    void aHeadRefusedWith403IsUnreadableWhereAListingShowsTheObjectAndUnknownWhereNoneDoes() {
        store.seed("local_content/aa/bb/listed", new byte[3]);
        store.failWhere(InMemoryObjectStore.HEAD, key -> true, 403);
        BucketAnswers answers = answers("");

        // Listed: 403 cannot mean "missing without ListBucket"; our key is refused, so the object is kept.
        assertThat(answers.before("local_content/aa/bb/listed", true)).isEqualTo(new HeadResult.Unreadable(403,
                "AccessDenied"));
        // A file the journal knows (no listing): a 403 says nothing, the caller uploads and verifies.
        assertThat(answers.before("local_content/aa/bb/listed", false)).isEqualTo(new HeadResult.Unknown(403));
    }

    @Test
    void withoutListBucketEveryCheckIsAHeadAndTheRunIsNotCountedAsFailing() {
        store.failWhere(InMemoryObjectStore.LIST, key -> true, 403);
        store.seed("local_content/aa/bb/there", new byte[4]);
        BucketAnswers answers = answers("");
        answers.expect(List.of("local_content/aa/bb/there", "local_content/aa/bb/absent"));

        assertThat(answers.before("local_content/aa/bb/there", true)).isInstanceOf(HeadResult.Present.class);
        assertThat(answers.before("local_content/aa/bb/absent", true)).isEqualTo(new HeadResult.Absent());
        assertThat(answers.after(List.of("local_content/aa/bb/there")).at("local_content/aa/bb/there"))
                .map(ListedObject::size).contains(4L);
        assertThat(store.requests(InMemoryObjectStore.LIST)).as("tried once, then never again").isEqualTo(1);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isEqualTo(3);
        assertThat(health.failures).as("a 403 to a listing is a permission, not an outage").isEmpty();
    }

    @Test
    void aVerificationListsTheJustUploadedKeysFreshAndHeadsOnlyWhatNoListingCovered() {
        BucketAnswers answers = answers("");
        answers.expect(List.of("local_content/aa/bb/one"));
        assertThat(answers.before("local_content/aa/bb/one", true)).isEqualTo(new HeadResult.Absent());
        // Uploaded since that listing: the before-listing must not answer for it any more.
        store.seed("local_content/aa/bb/one", new byte[7]);
        store.seed("local_content/aa/bb/two", new byte[8]);
        store.resetRequests();

        BucketAnswers.Seen seen = answers.after(List.of("local_content/aa/bb/one", "local_content/aa/bb/two"));

        assertThat(seen.at("local_content/aa/bb/one")).map(ListedObject::size).contains(7L);
        assertThat(seen.at("local_content/aa/bb/two")).map(ListedObject::size).contains(8L);
        assertThat(seen.at("local_content/zz/zz/unasked")).as("not asked for: HEAD, and there is none").isEmpty();
        assertThat(store.requests(InMemoryObjectStore.LIST)).isEqualTo(1);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isEqualTo(1);
    }

    @Test
    void aListingThatFailsFallsBackToHeadAndIsReportedAsAFailure() {
        store.failNext(InMemoryObjectStore.LIST, 1, 503);
        BucketAnswers answers = answers("");
        answers.expect(List.of("local_content/aa/bb/x"));

        assertThat(answers.before("local_content/aa/bb/x", true)).isEqualTo(new HeadResult.Absent());
        assertThat(health.failures).hasSize(1);
        assertThat(health.failures.get(0).status()).isEqualTo(503);
    }

    @Test
    void inADenseBucketEachMediaListsItsOwnKeysAndItsThumbnailsShareOneListing() {
        for (int i = 0; i < 2_100; i++) {
            store.seed(String.format("local_content/aa/%05d", i), new byte[1]);
        }
        BucketAnswers answers = new S3BucketAnswers(store, "", health, false, new KeyRangeSweep(store, "", 500));
        answers.expect(List.of("local_content/aa/00000-x", "local_content/aa/01000-x", "local_content/aa/02000-x"));
        store.resetRequests();

        assertThat(answers.before("local_content/aa/01000-x", true)).isEqualTo(new HeadResult.Absent());
        assertThat(answers.before("local_thumbnails/aa/01000-x/32-32", true)).isEqualTo(new HeadResult.Absent());
        assertThat(answers.before("local_thumbnails/aa/01000-x/64-64", true)).isEqualTo(new HeadResult.Absent());
        assertThat(store.requests(InMemoryObjectStore.LIST)).as("the original, then its thumbnail directory")
                .isEqualTo(2);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isZero();
    }

    private static final class Health implements BucketAnswers.Health {
        final AtomicInteger answered = new AtomicInteger();
        final List<ObjectStoreException> failures = new ArrayList<>();

        @Override
        public void answered() {
            answered.incrementAndGet();
        }

        @Override
        public synchronized void failed(ObjectStoreException e) {
            failures.add(e);
        }
    }
}

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

    @Test
    void intoAnEmptyBucketAVerificationBatchIsNearlyAPageAndOneListingAnswersIt() {
        BucketAnswers answers = answers("");
        int batch = answers.keysPerListing();
        assertThat(batch).as("nothing between our keys: most of a page").isBetween(850, 1_000);
        List<String> keys = uploaded(0, batch, 1);
        store.resetRequests();

        BucketAnswers.Seen seen = answers.after(keys);

        keys.forEach(key -> assertThat(seen.at(key)).as(key).isPresent());
        assertThat(store.requests(InMemoryObjectStore.LIST)).isEqualTo(1);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isZero();
        assertThat(answers.keysPerListing()).as("still nothing between them").isBetween(850, 1_000);
    }

    @Test
    void whereOtherObjectsSitBetweenOursABatchShrinksToWhatOnePageStillAnswers() {
        // An earlier run's objects, one between each two of ours (a daemon's bucket: media ids are random).
        for (int i = 0; i < 6_000; i++) {
            store.seed(String.format("local_content/aa/%05d-earlier", i), new byte[1]);
        }
        BucketAnswers answers = answers("");
        int next = 0;
        for (int round = 0; round < 4; round++) {
            int batch = answers.keysPerListing();
            List<String> keys = uploaded(next, batch, 1);
            next += batch;
            answers.after(keys);
        }
        int batch = answers.keysPerListing();
        assertThat(batch).as("two objects listed per key of ours").isBetween(400, 500);
        List<String> keys = uploaded(next, batch, 1);
        store.resetRequests();

        BucketAnswers.Seen seen = answers.after(keys);

        keys.forEach(key -> assertThat(seen.at(key)).as(key).isPresent());
        assertThat(store.requests(InMemoryObjectStore.LIST)).as("one page for the whole batch").isEqualTo(1);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isZero();
    }

    @Test
    void aBatchWhoseLastTreeHasALoneKeyBeyondManyOtherObjectsKeepsSweeping() {
        // A daemon's bucket after an earlier run: thousands of others after our local_content keys and between our one
        // remote original and its thumbnail. The page for the lone original answers only it; the batch's first page
        // answered hundreds.
        for (int i = 0; i < 3_000; i++) {
            store.seed(String.format("local_content/zz/%05d-earlier", i), new byte[1]);
            store.seed(String.format("remote_content/example.org/zz/%05d-earlier", i), new byte[1]);
        }
        BucketAnswers answers = answers("");
        List<String> keys = new ArrayList<>(uploaded(0, 600, 1));
        for (String key : List.of("remote_content/example.org/aa/bb/lone",
                "remote_thumbnail/example.org/aa/bb/lone/32-32-image-png")) {
            store.seed(key, new byte[2]);
            keys.add(key);
        }

        BucketAnswers.Seen seen = answers.after(keys);

        keys.forEach(key -> assertThat(seen.at(key)).as(key).isPresent());
        assertThat(store.requests(InMemoryObjectStore.LIST)).as("one page per tree, no per-media listings")
                .isEqualTo(3);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isZero();
        assertThat(answers.keysPerListing()).as("still sweeping").isGreaterThan(1);
    }

    @Test
    void whereEveryKeyCostsItsOwnRequestABatchNeedNotWaitForMore() {
        store.failWhere(InMemoryObjectStore.LIST, key -> true, 403);
        BucketAnswers answers = answers("");
        answers.expect(List.of("local_content/aa/bb/x"));

        assertThat(answers.keysPerListing()).isEqualTo(1);
    }

    /** Seeds {@code count} of our keys from {@code from} on, interleaved with the "-earlier" ones, as uploads would. */
    private List<String> uploaded(int from, int count, int size) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String key = String.format("local_content/aa/%05d-ours", i);
            store.seed(key, new byte[size]);
            keys.add(key);
        }
        return keys;
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

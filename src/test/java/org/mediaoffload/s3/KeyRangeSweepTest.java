package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.mediaoffload.testing.RequestCounter;
import org.mediaoffload.testing.S3ProxyServer;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3TestServer;
import org.mediaoffload.testing.S3TestConfigs;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

class KeyRangeSweepTest extends S3ProxyTestBase {
    private final RequestCounter requests = new RequestCounter();

    @Test
    void oneSweepAnswersEveryKeyOfABatchAndCoversTheRestOfTheBucketAfterIt() {
        String bucket = newBucket("sweep");
        put(bucket, "local_content/aa/bb/present1", 11);
        put(bucket, "local_content/aa/bb/present1-longer", 5);
        put(bucket, "local_content/aa/cc/unrelated", 3);
        put(bucket, "local_content/ab/xx/present2", 22);
        put(bucket, "local_thumbnails/aa/bb/present1/32-32-image-png", 7);
        put(bucket, "remote_content/example.org/zz/yy/elsewhere", 1);

        try (S3ObjectStore store = store(server, bucket)) {
            KeyRangeSweep sweep = new KeyRangeSweep(store, "");
            List<String> keys = List.of("local_content/aa/bb/present1", "local_content/aa/bb/absent",
                    "local_content/ab/xx/present2", "local_content/zz/zz/absent",
                    "local_thumbnails/aa/bb/present1/32-32-image-png", "local_thumbnails/aa/bb/present1/96-96-image-png");

            KeyRangeSweep.Answer answer = sweep.sweep(keys);

            assertThat(answer.answered()).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(answer.sizes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "local_content/aa/bb/present1", 11L,
                    "local_content/ab/xx/present2", 22L,
                    "local_thumbnails/aa/bb/present1/32-32-image-png", 7L));
            // Pages list under the run's prefix, not per tree: a sparse bucket's one page answers every tree.
            assertThat(requests.count("ListObjectsV2")).as("one page for the sparse bucket").isEqualTo(1);
            assertThat(sweep.enabled()).isTrue();
            // A last page proves absence for every key after its start, also keys nobody asked for yet...
            KeyRangeSweep.Range range = answer.ranges().get(0);
            assertThat(range.covers("remote_thumbnail/example.org/aa/bb/later")).isTrue();
            assertThat(range.objects()).containsKey("remote_content/example.org/zz/yy/elsewhere");
            // ...but nothing before it.
            assertThat(range.covers("local_content/aa/bb/absen")).isFalse();
            assertThat(range.covers("local_content/aa/aa/earlier")).isFalse();
        }
    }

    @Test
    void pagesGrowWhereTheBucketIsDenseAndADenseBucketTurnsSweepingOff() {
        String bucket = newBucket("dense");
        // In parallel: one after another, Ceph RGW's ~30 ms per PUT made this test take over a minute.
        ForkJoinPool pool = new ForkJoinPool(8);
        try {
            pool.submit(() -> IntStream.range(0, 2_100).parallel()
                    .forEach(i -> put(bucket, String.format("local_content/%05d", i), 1))).join();
        } finally {
            pool.shutdown();
        }
        // Three keys with 1,000 others between each.
        List<String> keys = List.of("local_content/00000-x", "local_content/01000-x", "local_content/02000");
        try (S3ObjectStore store = store(server, bucket)) {
            KeyRangeSweep sweep = new KeyRangeSweep(store, "local_content/");

            KeyRangeSweep.Answer answer = sweep.sweep(keys);

            assertThat(answer.answered()).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(answer.sizes()).containsExactlyEntriesOf(Map.of("local_content/02000", 1L));
            // A truncated page covers only up to its last key.
            assertThat(answer.ranges().get(0).covers("local_content/00064")).isTrue();
            assertThat(answer.ranges().get(0).covers("local_content/00065")).isFalse();
            assertThat(requests.count("ListObjectsV2")).as("small pages, one per key here").isEqualTo(3);
            assertThat(sweep.enabled()).isTrue();
        }
        requests.reset();
        try (S3ObjectStore store = store(server, bucket)) {
            // A run that has already seen such density asks for full pages, and one that answers a single key
            // shows per-media listings are cheaper.
            KeyRangeSweep sweep = new KeyRangeSweep(store, "local_content/", 500);

            KeyRangeSweep.Answer answer = sweep.sweep(keys);

            assertThat(sweep.enabled()).isFalse();
            assertThat(requests.count("ListObjectsV2")).isEqualTo(1);
            assertThat(answer.answered()).containsExactly("local_content/00000-x");
            assertThat(answer.sizes()).isEmpty();
            // Whatever the sweep did not answer stays unknown, so the run checks it another way.
            assertThat(sweep.sweep(List.of("local_content/02000")).answered()).isEmpty();
        }
    }

    /**
     * A first migration's verification batch: its few originals, then a gap (the thumbnails of every earlier media)
     * before its own thumbnails. The page that answers the originals and lists on through the gap is not a dense
     * bucket: the next page starts at the batch's thumbnails and answers them, and sweeping stays on. (Before,
     * that one page turned the rest of the run into per-media listings.)
     */
    @Test
    void aPageThatEndsInAGapOfTheBatchDoesNotTurnSweepingOff() {
        String bucket = newBucket("gap");
        List<String> originals = List.of("local_content/aa/bb/batch1", "local_content/aa/bb/batch2",
                "local_content/aa/bb/batch3");
        originals.forEach(key -> put(bucket, key, 10));
        ForkJoinPool pool = new ForkJoinPool(8);
        try {
            // Earlier media's thumbnails, already uploaded by this run: they sort between the batch's two trees.
            pool.submit(() -> IntStream.range(0, 1_200).parallel()
                    .forEach(i -> put(bucket, String.format("local_thumbnails/aa/aa/earlier%04d/32-32-image-png", i),
                            1))).join();
        } finally {
            pool.shutdown();
        }
        List<String> thumbnails = List.of("local_thumbnails/aa/bb/batch1/32-32-image-png",
                "local_thumbnails/aa/bb/batch2/32-32-image-png", "local_thumbnails/aa/bb/batch3/32-32-image-png");
        thumbnails.forEach(key -> put(bucket, key, 3));
        List<String> batch = new java.util.ArrayList<>(originals);
        batch.addAll(thumbnails);
        try (S3ObjectStore store = store(server, bucket)) {
            // A run whose pages so far answered many keys each (its first window's sweep) and which has seen a
            // dense stretch, so that it asks for full pages.
            KeyRangeSweep sweep = new KeyRangeSweep(store, "", 500);
            sweep.sweep(IntStream.range(0, 100).mapToObj(i -> String.format("local_content/00/%03d", i)).toList());
            requests.reset();

            KeyRangeSweep.Answer answer = sweep.sweep(batch);

            assertThat(sweep.enabled()).isTrue();
            assertThat(answer.answered()).containsExactlyInAnyOrderElementsOf(batch);
            assertThat(answer.sizes()).hasSize(6);
            assertThat(requests.count("ListObjectsV2")).as("one page for the originals and the gap, one for the"
                    + " thumbnails").isEqualTo(2);
        }
        requests.reset();
        try (S3ObjectStore store = store(server, bucket)) {
            // The same page as a run's very first sweep: nothing says pages answer many keys here, and its few
            // answers then turn sweeping off as before (a bucket whose every page answers one key of the work).
            KeyRangeSweep sweep = new KeyRangeSweep(store, "", 500);

            KeyRangeSweep.Answer answer = sweep.sweep(batch);

            assertThat(sweep.enabled()).isFalse();
            assertThat(answer.answered()).containsExactlyInAnyOrderElementsOf(originals);
            assertThat(requests.count("ListObjectsV2")).isEqualTo(1);
        }
    }

    @Test
    void aStoreThatIgnoresStartAfterIsNoticedAndNothingIsConcludedFromIt() {
        try (S3ProxyServer ignoring = S3ProxyServer.builder().middleware(IgnoresStartAfter::new).start()) {
            String bucket = "ignoring";
            ignoring.createBucket(bucket);
            for (String key : List.of("local_content/a", "local_content/b", "local_content/c")) {
                ignoring.adminClient().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(new byte[4]));
            }
            try (S3ObjectStore store = store(ignoring, bucket)) {
                KeyRangeSweep sweep = new KeyRangeSweep(store, "local_content/");

                // Pages that start at the prefix cover more than asked, never less, so this costs requests, not
                // safety; the sweep notices the key before start-after and stops relying on it.
                KeyRangeSweep.Answer answer = sweep.sweep(List.of("local_content/b-x", "local_content/zz"));

                assertThat(sweep.enabled()).isFalse();
                assertThat(answer.answered()).isEmpty();
            }
        }
    }

    private S3ObjectStore store(S3TestServer s3, String bucket) {
        return S3ObjectStore.create(S3TestConfigs.forServer(s3, bucket, "", Optional.empty()), requests);
    }

    private void put(String bucket, String key, int size) {
        server.adminClient().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(new byte[size]));
    }

    /** Lists from the start of the prefix whatever start-after says, as a store without start-after support would. */
    private static final class IgnoresStartAfter extends ForwardingBlobStore {
        IgnoresStartAfter(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            return super.list(request.toBuilder().startAfter(null).build());
        }
    }
}

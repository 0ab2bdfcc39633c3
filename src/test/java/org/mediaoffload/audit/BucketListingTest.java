package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.S3KeyOrder;
import org.mediaoffload.s3.S3AuditBucket;
import org.mediaoffload.testing.RequestCounter;
import org.mediaoffload.testing.S3ProxyServer;
import org.mediaoffload.testing.S3TestConfigs;
import org.mediaoffload.testing.S3TestServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The audit's bucket listing against S3Proxy, with pages of two or three keys so that a few keys make many pages:
 * the listers spool every range to disk without waiting for a reader, the ranges read back as one sorted sequence,
 * and a listing that fails or comes out of order stops the reader.
 */
class BucketListingTest {
    private static final String PREFIX = "p/";
    /** Under the prefix, in S3's order: keys in every range, including the gaps around the four trees. */
    private static final List<String> KEYS = List.of("p/a-before-all-trees",
            "p/local_content.x", // '.' sorts before '/': in the gap before the tree
            "p/local_content/ab/cd/efgh1", "p/local_content/ab/cd/efgh2", "p/local_content/ab/cd/efgh3",
            "p/local_content/ab/ce/efgh4", "p/local_content/zz/cd/efgh5",
            "p/local_contentX", // after the tree's range
            "p/local_thumbnails/ab/cd/efgh1/32-32-image-jpeg-crop",
            "p/remote_content/a.example.org/ab/cd/y", "p/remote_content/a.example/ab/cd/x",
            "p/remote_content/b.example/ab/cd/z",
            "p/remote_thumbnail/a.example/ab/cd/x/32-32-image-jpeg-crop",
            "p/zzz-after-all-trees", "p/\u00fc-unicode-after-ascii");
    private static final List<String> ELSEWHERE = List.of("o/before", "q/after", "pp");

    @TempDir
    Path tmp;

    @Test
    void everyRangeIsSpooledBeforeAnythingIsReadThenReadBackInKeyOrder() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start()) {
            String bucket = seeded(server);
            RequestCounter requests = new RequestCounter();
            try (S3AuditBucket b = new S3AuditBucket(config(server, bucket), requests);
                    BucketListing listing = new BucketListing(b, PREFIX, tmp, 2)) {
                // Nothing reads yet (as while the audit scans the database): the listers still finish every range.
                await().atMost(Duration.ofMinutes(1)).until(listing::allListed);
                assertThat(requests.count("ListObjectsV2")).as("every page listed with no reader")
                        .isGreaterThanOrEqualTo(KEYS.size() / 2);
                assertThat(spoolBytes()).as("what was listed is on disk, not held in memory")
                        .isGreaterThan(KEYS.stream().mapToLong(String::length).sum());

                List<String> read = new ArrayList<>();
                listing.forEachRemaining(o -> read.add(o.key()));

                assertThat(read).containsExactlyElementsOf(KEYS);
                assertThat(read).isSortedAccordingTo(S3KeyOrder.KEYS);
                assertThat(spoolFiles()).as("each range read to its end frees its file").isEmpty();
            }
            assertThat(spoolFiles()).isEmpty();
        }
    }

    @Test
    void aReaderAheadOfTheListersWaitsForTheirPages() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start()) {
            String bucket = seeded(server);
            try (S3AuditBucket b = new S3AuditBucket(config(server, bucket), new RequestCounter());
                    BucketListing listing = new BucketListing(b, PREFIX, tmp, 2)) {
                List<String> read = new ArrayList<>();
                listing.forEachRemaining(o -> read.add(o.key()));
                assertThat(read).containsExactlyElementsOf(KEYS);
            }
        }
    }

    @Test
    void aListingOutOfKeyOrderStopsTheReader() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(ReversedPages::new).start()) {
            String bucket = seeded(server);
            try (S3AuditBucket b = new S3AuditBucket(config(server, bucket), new RequestCounter());
                    BucketListing listing = new BucketListing(b, PREFIX, tmp, 3)) {
                assertThatThrownBy(() -> listing.forEachRemaining(o -> { }))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not in S3's key order")
                        .hasMessageContaining("p/local_content/ab/cd/efgh2");
            }
            assertThat(spoolFiles()).isEmpty();
        }
    }

    @Test
    void aPageThatFailsInALaterRangeStopsTheReaderBeforeItGetsThere() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(FailingSecondPages::new).start()) {
            String bucket = seeded(server);
            List<String> read = new ArrayList<>();
            try (S3AuditBucket b = new S3AuditBucket(config(server, bucket), new RequestCounter());
                    BucketListing listing = new BucketListing(b, PREFIX, tmp, 2)) {
                assertThatThrownBy(() -> listing.forEachRemaining(o -> read.add(o.key())))
                        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("500");
            }
            // Whatever was read before the failure is the sorted start of the bucket, and nothing past it.
            assertThat(KEYS.subList(0, read.size())).isEqualTo(read);
            assertThat(read).doesNotContain("p/remote_content/b.example/ab/cd/z",
                    "p/remote_thumbnail/a.example/ab/cd/x/32-32-image-jpeg-crop");
            assertThat(spoolFiles()).isEmpty();
        }
    }

    /** Each page under {@code p/local_content/} comes back reversed: a store that lists out of order. */
    private static final class ReversedPages extends ForwardingBlobStore {
        ReversedPages(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            ListObjectsV2Response response = super.list(request);
            if (response == null || !"p/local_content/".equals(request.prefix())) {
                return response;
            }
            List<S3Object> reversed = new ArrayList<>(response.contents());
            java.util.Collections.reverse(reversed);
            return response.toBuilder().contents(reversed).build();
        }
    }

    /** The second page of the remote media tree's range fails, as a store's error mid-way would. */
    private static final class FailingSecondPages extends ForwardingBlobStore {
        FailingSecondPages(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            if ("p/remote_content/".equals(request.prefix()) && request.continuationToken() != null) {
                throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR);
            }
            return super.list(request);
        }
    }

    private static String seeded(S3TestServer server) {
        String bucket = "listing";
        server.createBucket(bucket);
        for (String key : Stream.concat(KEYS.stream(), ELSEWHERE.stream()).toList()) {
            server.adminClient().putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(new byte[] {1}));
        }
        return bucket;
    }

    private static org.mediaoffload.config.S3Config config(S3TestServer server, String bucket) {
        return S3TestConfigs.forServer(server, bucket, PREFIX, Optional.empty());
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("listing-")).toList();
        }
    }

    private long spoolBytes() throws IOException {
        long total = 0;
        for (Path f : spoolFiles()) {
            total += Files.size(f);
        }
        return total;
    }
}

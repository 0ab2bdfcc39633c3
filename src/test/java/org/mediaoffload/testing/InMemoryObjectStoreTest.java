package org.mediaoffload.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mediaoffload.pipeline.ObjectStore.ChecksumAlgorithm;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.mediaoffload.pipeline.ObjectStore.StoredChecksum;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.TargetUnusableException;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.testing.InMemoryObjectStore.Request;

/**
 * What only the fake has (faults, hooks, counts, seeding) and what the real servers cannot be made to show cheaply
 * (outages, a 2xx listing of a missing bucket). What it shares with the real servers is in ObjectStoreContractTest.
 */
class InMemoryObjectStoreTest {
    static final String KEY = "0123456789abcdefghijklmnopqrstuv";
    static final byte[] BODY = "some media bytes".getBytes(StandardCharsets.UTF_8);

    final RequestCounter counter = new RequestCounter();
    final InMemoryObjectStore store = InMemoryObjectStore.builder().sseKey(Optional.of(KEY)).observer(counter)
            .multipart(100, 40).build();

    @Test
    void countsRequestsPerOperationAndTellsTheObserver() {
        store.put("a", BytesUploadFile.of("a", BODY));
        store.head("a");
        store.head("b");
        store.listPage("", "", 10);

        assertThat(store.requests(InMemoryObjectStore.PUT)).isEqualTo(1);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isEqualTo(2);
        assertThat(store.requests(InMemoryObjectStore.LIST)).isEqualTo(1);
        assertThat(store.totalRequests()).isEqualTo(4).isEqualTo(counter.total());
        assertThat(store.requestLog()).containsExactly(new Request("PutObject", "a"), new Request("HeadObject", "a"),
                new Request("HeadObject", "b"), new Request("ListObjectsV2", "*"));
        store.resetRequests();
        assertThat(store.totalRequests()).isZero();
        assertThat(store.requestLog()).isEmpty();
    }

    @Test
    void aListingCostsOneRequestPerThousandKeys() {
        for (int i = 0; i < 2_001; i++) {
            store.seed(String.format("k/%05d", i), BODY);
        }
        assertThat(store.list("k/")).hasSize(2_001);
        assertThat(store.requests(InMemoryObjectStore.LIST)).isEqualTo(3);
        assertThat(store.list("none/")).isEmpty();
        assertThat(store.requests(InMemoryObjectStore.LIST)).isEqualTo(4);
    }

    @Test
    void multipartUploadsCostTheRequestsTheRealStoreSends() {
        byte[] big = new byte[130];
        PutReceipt receipt = store.put("big", BytesUploadFile.of("big", big));

        assertThat(store.requestLog()).extracting(Request::operation).containsExactly("CreateMultipartUpload",
                "UploadPart", "UploadPart", "UploadPart", "UploadPart", "CompleteMultipartUpload");
        assertThat(receipt.md5Hex()).isEqualTo(InMemoryObjectStore.md5Hex(big));
        assertThat(receipt.eTag()).hasValueSatisfying(e -> assertThat(e).endsWith("-4"));
        assertThat(store.stored("big").orElseThrow().eTag()).isEqualTo(receipt.eTag().orElseThrow());
        InMemoryObjectStore rgw = InMemoryObjectStore.builder().like(S3Store.Kind.RGW).multipart(100, 40).build();
        assertThat(rgw.put("big", BytesUploadFile.of("big", big)).eTag()).as("RGW's Complete").isEmpty();
    }

    @Test
    void aFailedPartAbortsTheUploadAndLeavesNoObject() {
        store.failNext(InMemoryObjectStore.UPLOAD_PART, 1, 503);

        ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                () -> store.put("big", BytesUploadFile.of("big", new byte[130])));

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.looksLikeOutage()).isTrue();
        assertThat(store.requestLog()).extracting(Request::operation).containsExactly("CreateMultipartUpload",
                "UploadPart", "AbortMultipartUpload");
        assertThat(store.stored("big")).isEmpty();
    }

    @Test
    void failNextFailsExactlyThatManyCallsThenTheStoreAnswersAgain() {
        store.seed("a", BODY);
        store.failNext(InMemoryObjectStore.HEAD, 2, 503);

        assertThat(catchThrowableOfType(ObjectStoreException.class, () -> store.head("a")).status()).isEqualTo(503);
        assertThat(catchThrowableOfType(ObjectStoreException.class, () -> store.head("a")).status()).isEqualTo(503);
        assertThat(store.head("a")).isInstanceOf(HeadResult.Present.class);
        assertThat(store.requests(InMemoryObjectStore.HEAD)).isEqualTo(3);
    }

    @Test
    void injectedHeadStatusesReadAsTheRealStoreReadsThem() {
        store.seed("a", BODY);
        store.failNext(InMemoryObjectStore.HEAD, 1, 403);
        store.failNext(InMemoryObjectStore.HEAD, 1, 404);
        store.failNext(InMemoryObjectStore.HEAD, 1, 400);
        store.failNext(InMemoryObjectStore.HEAD, 1, 0);

        assertThat(store.head("a")).isEqualTo(new HeadResult.Unknown(403));
        assertThat(store.head("a")).isEqualTo(new HeadResult.Absent());
        assertThat(store.head("a")).isEqualTo(new HeadResult.Unreadable(400, "BadRequest"));
        ObjectStoreException none = catchThrowableOfType(ObjectStoreException.class, () -> store.head("a"));
        assertThat(none.status()).isZero();
        assertThat(none.looksLikeOutage()).isTrue();
    }

    @Test
    void failWhereFailsTheChosenKeysUntilCleared() {
        store.failWhere(InMemoryObjectStore.PUT, k -> k.startsWith("bad/"), 500);

        assertThatThrownBy(() -> store.put("bad/1", BytesUploadFile.of("1", BODY)))
                .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.errorCode())
                        .isEqualTo("InternalError"));
        assertThatThrownBy(() -> store.put("bad/2", BytesUploadFile.of("2", BODY)))
                .isInstanceOf(ObjectStoreException.class);
        assertThat(store.put("good/1", BytesUploadFile.of("1", BODY)).acknowledged()).isTrue();
        assertThat(store.keys()).containsExactly("good/1");
        store.clearFaults();
        assertThat(store.put("bad/1", BytesUploadFile.of("1", BODY)).acknowledged()).isTrue();
    }

    @Test
    void aLocalFileThatChangedSendsNothing() {
        BytesUploadFile rewritten = BytesUploadFile.of("f", BODY);
        rewritten.replaceWith(BODY);
        BytesUploadFile shorter = BytesUploadFile.scannedAs("s", BODY, BODY.length + 1L);
        BytesUploadFile longer = BytesUploadFile.scannedAs("l", BODY, BODY.length - 1L);

        for (BytesUploadFile file : List.of(rewritten, shorter, longer)) {
            ObjectStoreException put = catchThrowableOfType(ObjectStoreException.class, () -> store.put("k", file));
            ObjectStoreException digest = catchThrowableOfType(ObjectStoreException.class,
                    () -> store.digest(file, Optional.empty()));
            assertThat(List.of(put, digest)).allSatisfy(e -> {
                assertThat(e.errorCode()).isEqualTo(S3ObjectStore.LOCAL_FILE_CHANGED);
                assertThat(e.status()).isEqualTo(-1);
                assertThat(e.looksLikeOutage()).isFalse();
            });
        }
        assertThat(store.totalRequests()).isZero();
        assertThat(store.keys()).isEmpty();
    }

    @Test
    void anInterruptedCallerIsCancelled() {
        Thread.currentThread().interrupt();
        try {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class, () -> store.head("a"));
            assertThat(e.errorCode()).isEqualTo(S3ObjectStore.CANCELLED);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aRequestHookCanHoldAnUploadInFlight() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.onRequest(r -> {
            if (r.operation().equals(InMemoryObjectStore.PUT)) {
                arrived.countDown();
                await(release);
            }
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<PutReceipt> upload = pool.submit(() -> store.put("held", BytesUploadFile.of("h", BODY)));
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(store.list("")).as("not stored before the request is let through").isEmpty();
            release.countDown();
            assertThat(upload.get(10, TimeUnit.SECONDS).acknowledged()).isTrue();
            assertThat(store.keys()).containsExactly("held");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aResponseHookSeesTheEffectBeforeTheCallerDoes() {
        store.onResponse(r -> {
            if (r.operation().equals(InMemoryObjectStore.PUT)) {
                assertThat(store.keys()).contains(r.key());
                store.remove(r.key()); // e.g. deleted by someone else before our verification
            }
        });
        store.put("gone", BytesUploadFile.of("g", BODY));

        assertThat(store.head("gone")).isEqualTo(new HeadResult.Absent());
    }

    @Test
    void aMissingBucketIsUnusableAndEveryRequestAnswers404() {
        store.removeBucket();

        assertThatThrownBy(store::checkBucket).isInstanceOf(TargetUnusableException.class)
                .hasMessageContaining("NoSuchBucket");
        assertThat(store.head("a")).isEqualTo(new HeadResult.Absent());
        assertThat(catchThrowableOfType(ObjectStoreException.class, () -> store.list("")).errorCode())
                .isEqualTo("NoSuchBucket");
    }

    @Test
    void checkBucketGoesOnThroughAnOutageAsThePreflightDoes() {
        store.failNext(InMemoryObjectStore.LIST, 1, 503);
        store.checkBucket();
        store.failNext(InMemoryObjectStore.LIST, 1, 403);
        assertThatThrownBy(store::checkBucket).isInstanceOf(TargetUnusableException.class);
        assertThat(store.requests(InMemoryObjectStore.LIST)).isEqualTo(2);
    }

    @Test
    void seededObjectsCarryWhatTheTestSays() {
        Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
        store.seed(store.object("plain", BODY).plain());
        store.seed(store.object("other", BODY).encryptedWith("ZYXWVUTSRQPONMLKJIHGFEDCBA987654"));
        store.seed(store.object("sum", BODY).withChecksum(ChecksumAlgorithm.CRC64NVME).withLastModified(at));
        store.seed(store.object("claim", BODY).withChecksum(new StoredChecksum(ChecksumAlgorithm.CRC32, "AAAAAA==")));

        assertThat(store.head("plain")).isEqualTo(new HeadResult.Unreadable(400, "BadRequest"));
        assertThat(store.head("other")).isEqualTo(new HeadResult.Unreadable(400, "BadRequest"));
        assertThat(store.head("sum", true)).isEqualTo(new HeadResult.Present(BODY.length,
                Optional.of(InMemoryObjectStore.md5Hex(BODY)), Optional.of(Instant.parse("2026-01-02T03:04:05Z")),
                Optional.of(new StoredChecksum(ChecksumAlgorithm.CRC64NVME,
                        FullObjectChecksumStore.crc64nvme(BODY)))));
        assertThat(store.head("sum", false)).isInstanceOfSatisfying(HeadResult.Present.class,
                p -> assertThat(p.checksum()).isEmpty());
        assertThat(store.head("claim", true)).isInstanceOfSatisfying(HeadResult.Present.class,
                p -> assertThat(p.checksum()).hasValue(new StoredChecksum(ChecksumAlgorithm.CRC32, "AAAAAA==")));
        assertThat(store.totalRequests()).isEqualTo(5);
    }

    @Test
    void uploadsAreStampedWithTheClockInWholeSeconds() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07.890Z"), ZoneOffset.UTC);
        InMemoryObjectStore timed = InMemoryObjectStore.builder().clock(clock).build();
        timed.put("t", BytesUploadFile.of("t", BODY));

        assertThat(timed.list("")).singleElement().satisfies(o -> assertThat(o.lastModified())
                .hasValue(Instant.parse("2026-03-04T05:06:07Z")));
    }

    @Test
    void digestsMatchTheChecksumsS3Sends() {
        assertThat(store.digest(BytesUploadFile.of("d", BODY), Optional.of(ChecksumAlgorithm.CRC64NVME)))
                .satisfies(d -> {
                    assertThat(d.md5Hex()).isEqualTo(InMemoryObjectStore.md5Hex(BODY));
                    assertThat(d.checksumBase64()).hasValue(FullObjectChecksumStore.crc64nvme(BODY));
                });
        // Known values: CRC32 and CRC32C of "123456789" are CBF43926 and E3069283.
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(InMemoryObjectStore.checksumBase64(ChecksumAlgorithm.CRC32, check)).isEqualTo("y/Q5Jg==");
        assertThat(InMemoryObjectStore.checksumBase64(ChecksumAlgorithm.CRC32C, check)).isEqualTo("4waSgw==");
        assertThat(store.totalRequests()).as("a digest is local").isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

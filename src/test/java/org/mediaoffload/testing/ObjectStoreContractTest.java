package org.mediaoffload.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.ObjectStore.ChecksumAlgorithm;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListPage;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.S3KeyOrder;
import org.mediaoffload.pipeline.TargetUnusableException;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;

/**
 * The {@link ObjectStore} contract, one set of assertions run against {@link InMemoryObjectStore} (as S3Proxy and as
 * Ceph RGW) and {@code S3ObjectStore} on S3Proxy 4.1.1 and on Ceph RGW 16.2 over HTTPS with SSE-C, so the fake
 * cannot drift from a real server: listings (key order, prefix, start-after, max-keys, truncation), HEAD with and
 * without our key, uploads (receipts, ETags, sizes, multipart), local digests, the bucket check, and which requests
 * each call costs (with their statuses, as the store's observer sees them). Where the servers differ, the assertion
 * names the server ({@link #kind()}) and the fake imitates each.
 */
abstract class ObjectStoreContractTest {
    static final String KEY = "0123456789abcdefghijklmnopqrstuv";
    static final String OTHER_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
    /** As S3TestConfigs: multipart from 8 MiB, in 5 MiB parts. */
    static final int MIB = 1 << 20;

    /** "Operation status" of every request the stores made, as their observer saw it. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    final S3RequestObserver observer = (operation, status, nanos) -> requests.add(operation + " " + status);
    private final List<ObjectStore> opened = new ArrayList<>();

    /** Whose answers to expect where the servers differ. */
    abstract S3Store.Kind kind();

    /**
     * A store on this test's bucket (empty at the start of each test), with {@code sseKey} (the configured string;
     * empty for none), multipart from 8 MiB in 5 MiB parts, reporting its requests to {@link #observer}.
     */
    abstract ObjectStore newStore(Optional<String> sseKey);

    /** A store on a bucket that does not exist. */
    abstract ObjectStore storeOfMissingBucket();

    /** Takes s3:ListBucket from our credentials on this test's bucket; false where the server cannot. */
    abstract boolean denyListing();

    /** Writes an object without SSE-C, not through the port (as an admin's tool would). Thread-safe. */
    abstract void putPlain(String key, byte[] data);

    /** The real S3Proxy (not the fake imitating it), where it differs from S3 in ways the fake does not imitate. */
    boolean realS3Proxy() {
        return false;
    }

    ObjectStore store(Optional<String> sseKey) {
        ObjectStore store = newStore(sseKey);
        opened.add(store);
        return store;
    }

    ObjectStore ours() {
        return store(Optional.of(KEY));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(ObjectStore::close);
    }

    static byte[] bytes(int size, int seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static PutReceipt put(ObjectStore store, String key, byte[] data) {
        return store.put(key, BytesUploadFile.of(key, data));
    }

    static List<String> keys(List<ListedObject> objects) {
        return objects.stream().map(ListedObject::key).toList();
    }

    // ---- uploads, HEAD, ETags ----

    @Test
    void anUploadIsAcknowledgedAndHeadShowsItsSizeAndPlaintextMd5ETag() {
        ObjectStore store = ours();
        byte[] data = bytes(70_000, 1);
        String md5 = InMemoryObjectStore.md5Hex(data);

        PutReceipt receipt = put(store, "m/one", data);

        assertThat(receipt).isEqualTo(new PutReceipt("m/one", 70_000, md5, true, true, Optional.of(md5)));
        HeadResult head = store.head("m/one");
        assertThat(head).isInstanceOfSatisfying(HeadResult.Present.class, p -> {
            assertThat(p.size()).isEqualTo(70_000);
            assertThat(p.eTag()).hasValue(md5);
            assertThat(p.lastModified()).hasValueSatisfying(t -> assertThat(t.getNano()).isZero());
            assertThat(p.checksum()).isEmpty();
        });
        assertThat(requests).containsExactly("PutObject 200", "HeadObject 200");
    }

    @Test
    void ourUploadsCarryNoStoredChecksumEvenInChecksumMode() {
        ObjectStore store = ours();
        put(store, "m/c", bytes(100, 2));

        assertThat(store.head("m/c", true)).isInstanceOfSatisfying(HeadResult.Present.class,
                p -> assertThat(p.checksum()).isEmpty());
    }

    @Test
    void anEmptyFileIsOneObjectOfZeroBytes() {
        ObjectStore store = ours();
        PutReceipt receipt = put(store, "m/empty", new byte[0]);

        assertThat(receipt.acknowledged()).isTrue();
        assertThat(receipt.md5Hex()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(store.head("m/empty")).isInstanceOfSatisfying(HeadResult.Present.class, p -> {
            assertThat(p.size()).isZero();
            assertThat(p.eTag()).hasValue("d41d8cd98f00b204e9800998ecf8427e");
        });
        assertThat(requests).containsExactly("PutObject 200", "HeadObject 200");
    }

    @Test
    void aSecondUploadReplacesTheObject() {
        ObjectStore store = ours();
        put(store, "m/k", bytes(10, 1));
        byte[] second = bytes(20, 2);
        put(store, "m/k", second);

        assertThat(store.list("m/")).singleElement().satisfies(o -> {
            assertThat(o.size()).isEqualTo(20);
            assertThat(o.eTag()).hasValue(InMemoryObjectStore.md5Hex(second));
        });
    }

    @Test
    void aMultipartUploadCostsOneRequestPerPartAndGetsTheDashNETag() {
        ObjectStore store = ours();
        byte[] data = bytes(12 * MIB + 5, 3);
        String partsETag = multipartETag(data, 5 * MIB);

        PutReceipt receipt = put(store, "m/video", data);

        assertThat(receipt.acknowledged()).isTrue();
        assertThat(receipt.size()).isEqualTo(data.length);
        assertThat(receipt.md5Hex()).isEqualTo(InMemoryObjectStore.md5Hex(data));
        // Ceph RGW answers CompleteMultipartUpload with an empty ETag; HEAD and listings have it.
        assertThat(receipt.eTag()).isEqualTo(kind() == S3Store.Kind.RGW ? Optional.empty() : Optional.of(partsETag));
        assertThat(store.head("m/video")).isInstanceOfSatisfying(HeadResult.Present.class, p -> {
            assertThat(p.size()).isEqualTo(data.length);
            assertThat(p.eTag()).hasValue(partsETag);
        });
        assertThat(store.list("m/")).extracting(ListedObject::eTag).containsExactly(Optional.of(partsETag));
        assertThat(requests).containsExactly("CreateMultipartUpload 200", "UploadPart 200", "UploadPart 200",
                "UploadPart 200", "CompleteMultipartUpload 200", "HeadObject 200", "ListObjectsV2 200");
    }

    @Test
    void headOfAMissingKeyIsAbsent() {
        assertThat(ours().head("m/nothing")).isEqualTo(new HeadResult.Absent());
        assertThat(requests).containsExactly("HeadObject 404");
    }

    @Test
    void listingAndHeadAgreeOnSizeETagAndLastModified() {
        ObjectStore store = ours();
        Instant before = Instant.now().minus(Duration.ofMinutes(5));
        put(store, "m/a", bytes(1, 1));
        put(store, "m/b", bytes(65_537, 2));

        List<ListedObject> listed = store.list("m/");

        assertThat(listed).extracting(ListedObject::key, ListedObject::size)
                .containsExactly(tuple("m/a", 1L), tuple("m/b", 65_537L));
        for (ListedObject object : listed) {
            HeadResult.Present head = (HeadResult.Present) store.head(object.key());
            assertThat(object.eTag()).isEqualTo(head.eTag());
            assertThat(object.lastModified()).isEqualTo(head.lastModified());
            assertThat(object.lastModified()).hasValueSatisfying(t -> assertThat(t).isAfter(before)
                    .isBefore(Instant.now().plus(Duration.ofMinutes(5))));
        }
    }

    // ---- SSE-C ----

    @Test
    void anObjectWrittenWithAnotherKeyOrReadWithoutOursIsUnreadable() {
        put(store(Optional.of(OTHER_KEY)), "m/other", bytes(10, 1));
        put(ours(), "m/ours", bytes(10, 2));
        requests.clear();

        assertThat(ours().head("m/other")).isEqualTo(new HeadResult.Unreadable(400, "BadRequest"));
        assertThat(store(Optional.empty()).head("m/ours")).isEqualTo(new HeadResult.Unreadable(400, "BadRequest"));
        assertThat(requests).containsExactly("HeadObject 400", "HeadObject 400");
    }

    @Test
    void aPlainObjectIsUnreadableWithOurKeyAndPresentWithout() {
        putPlain("m/plain", "plain".getBytes(StandardCharsets.UTF_8));

        // Ceph RGW ignores SSE-C headers on a plain object and answers 200 without echoing our key; S3Proxy and AWS
        // answer 400.
        assertThat(ours().head("m/plain")).isEqualTo(kind() == S3Store.Kind.RGW
                ? new HeadResult.Unreadable(200, S3ObjectStore.NOT_ENCRYPTED_WITH_OUR_KEY)
                : new HeadResult.Unreadable(400, "BadRequest"));
        assertThat(store(Optional.empty()).head("m/plain")).isInstanceOfSatisfying(HeadResult.Present.class,
                p -> assertThat(p.size()).isEqualTo(5));
    }

    @Test
    void listingsShowEveryObjectWithItsPlaintextSizeAndMd5WhateverItsKey() {
        List<byte[]> data = List.of(bytes(1_000, 1), bytes(2_000, 2), bytes(3_000, 3));
        put(ours(), "m/1", data.get(0));
        put(store(Optional.of(OTHER_KEY)), "m/2", data.get(1));
        putPlain("m/3", data.get(2));

        for (Optional<String> key : List.of(Optional.of(KEY), Optional.of(OTHER_KEY), Optional.<String>empty())) {
            assertThat(store(key).list("m/")).extracting(ListedObject::key, ListedObject::size, ListedObject::eTag)
                    .containsExactly(tuple("m/1", 1_000L, Optional.of(InMemoryObjectStore.md5Hex(data.get(0)))),
                            tuple("m/2", 2_000L, Optional.of(InMemoryObjectStore.md5Hex(data.get(1)))),
                            tuple("m/3", 3_000L, Optional.of(InMemoryObjectStore.md5Hex(data.get(2)))));
        }
        assertThat(store(Optional.empty()).head("m/3")).isInstanceOfSatisfying(HeadResult.Present.class,
                p -> assertThat(p.eTag()).hasValue(InMemoryObjectStore.md5Hex(data.get(2))));
    }

    // ---- key order ----

    /**
     * Keys as S3 sorts them, by UTF-8 bytes: '-' < '.' < '/' < ':', so {@code example.com.au/} before {@code
     * example.com/}. Within the Basic Multilingual Plane that is also UTF-16 order; beyond it, see
     * {@link #keysBeyondTheBasicPlaneSortByTheirUtf8BytesExceptOnS3Proxy}.
     */
    static final List<String> KEYS_IN_S3_ORDER = List.of(
            "o/A",
            "o/a-",
            "o/a/b",
            "o/a0",
            "o/example.com.au/x",
            "o/example.com/x",
            "o/example.com:8448/x",
            "o/z",
            "o/\u00e9",
            "o/\u20ac",
            "o/\uff61");

    void putShuffled(List<String> keys) {
        ObjectStore store = ours();
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(7));
        for (String key : shuffled) {
            put(store, key, key.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void keysAreListedInUtf8ByteOrder() {
        putShuffled(KEYS_IN_S3_ORDER);

        assertThat(keys(ours().list("o/"))).containsExactlyElementsOf(KEYS_IN_S3_ORDER);
        assertThat(KEYS_IN_S3_ORDER).isSortedAccordingTo(S3KeyOrder.KEYS);
    }

    @Test
    void startAfterIsExclusiveAndNeedNotBeAKey() {
        putShuffled(KEYS_IN_S3_ORDER);
        ObjectStore store = ours();

        assertThat(keys(store.listPage("o/", "o/a/b", 2).objects())).as("a key")
                .containsExactly("o/a0", "o/example.com.au/x");
        assertThat(keys(store.listPage("o/", "o/a", 3).objects())).as("a proper prefix of keys")
                .containsExactly("o/a-", "o/a/b", "o/a0");
        assertThat(keys(store.listPage("o/", "o/a.", 2).objects())).as("between two keys")
                .containsExactly("o/a/b", "o/a0");
        assertThat(keys(store.listPage("o/", "o/example.com", 2).objects())).as("a directory's name")
                .containsExactly("o/example.com.au/x", "o/example.com/x");
        assertThat(keys(store.listPage("o/", "o/\u00e9", 5).objects())).as("non-ASCII")
                .containsExactly("o/\u20ac", "o/\uff61");
        assertThat(keys(store.listPage("o/", "a", 2).objects())).as("before the prefix")
                .containsExactly("o/A", "o/a-");
        assertThat(store.listPage("o/", "p", 5)).as("after the prefix").isEqualTo(new ListPage(List.of(), false));
        assertThat(store.listPage("o/", "o/\uff61", 5)).as("the last key")
                .isEqualTo(new ListPage(List.of(), false));
    }

    /**
     * U+1F600 is F0 9F 98 80 in UTF-8 (after U+FF61's EF BD A1) but D83D DE00 in UTF-16 (before U+E000). S3 and
     * RGW sort and start after by UTF-8 bytes; S3Proxy 4.1.1 compares Java strings (UTF-16), for listings and
     * start-after alike. Synapse's keys are ASCII; our sweeps check a page's order and stop sweeping on such a store.
     */
    @Test
    void keysBeyondTheBasicPlaneSortByTheirUtf8BytesExceptOnS3Proxy() {
        List<String> utf8 = List.of("u/\ue000", "u/\uff61", "u/\ud83d\ude00");
        putShuffled(utf8);
        ObjectStore store = ours();

        if (realS3Proxy()) {
            assertThat(keys(store.list("u/"))).containsExactly("u/\ud83d\ude00", "u/\ue000", "u/\uff61");
            assertThat(keys(store.listPage("u/", "u/\uff61", 5).objects())).isEmpty();
            assertThat(keys(store.listPage("u/", "u/\ud83d\ude00", 5).objects()))
                    .containsExactly("u/\ue000", "u/\uff61");
        } else {
            assertThat(keys(store.list("u/"))).containsExactlyElementsOf(utf8);
            assertThat(keys(store.listPage("u/", "u/\uff61", 5).objects())).containsExactly("u/\ud83d\ude00");
            assertThat(keys(store.listPage("u/", "u/\ud83d\ude00", 5).objects())).isEmpty();
        }
        assertThat(utf8).isSortedAccordingTo(S3KeyOrder.KEYS);
    }

    /**
     * S3 and RGW keep {@code d/a} and {@code d/a/b} side by side; S3Proxy's store keeps objects as files and answers
     * 500 to the second (a file cannot also be a directory). Synapse's media paths never nest so, and the fake keeps
     * both, as S3 does.
     */
    @Test
    void aKeyMayBeADirectoryOfAnotherKeyExceptOnS3Proxy() {
        ObjectStore store = ours();
        put(store, "d/a", new byte[1]);

        if (realS3Proxy()) {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                    () -> put(store, "d/a/b", new byte[1]));
            assertThat(e.status()).isEqualTo(500);
            assertThat(keys(store.list("d/"))).containsExactly("d/a");
        } else {
            put(store, "d/a/b", new byte[2]);
            assertThat(store.list("d/")).extracting(ListedObject::key, ListedObject::size)
                    .containsExactly(tuple("d/a", 1L), tuple("d/a/b", 2L));
        }
    }

    // ---- max-keys and truncation ----

    @Test
    void maxKeysLimitsThePageAndTruncatedSaysWhetherMoreFollow() {
        putShuffled(KEYS_IN_S3_ORDER);
        ObjectStore store = ours();

        ListPage one = store.listPage("o/", "", 1);
        assertThat(keys(one.objects())).containsExactly("o/A");
        assertThat(one.truncated()).isTrue();
        ListPage rest = store.listPage("o/", "o/A", KEYS_IN_S3_ORDER.size() - 1);
        assertThat(keys(rest.objects())).containsExactlyElementsOf(KEYS_IN_S3_ORDER.subList(1, KEYS_IN_S3_ORDER.size()));
        assertThat(rest.truncated()).as("exactly the keys left").isFalse();
        ListPage all = store.listPage("o/", "", 1_000);
        assertThat(keys(all.objects())).containsExactlyElementsOf(KEYS_IN_S3_ORDER);
        assertThat(all.truncated()).isFalse();
    }

    /** Both servers: an empty page that does not say more keys follow. A client must not read it as "none there". */
    @Test
    void maxKeysZeroListsNothing() {
        putShuffled(KEYS_IN_S3_ORDER);

        ListPage page = ours().listPage("o/", "", 0);
        assertThat(page.objects()).isEmpty();
        assertThat(page.truncated()).as("truncated").isFalse();
    }

    @Test
    void walkingPagesByStartAfterVisitsEveryKeyOnce() {
        putShuffled(KEYS_IN_S3_ORDER);
        ObjectStore store = ours();
        requests.clear();
        List<String> seen = new ArrayList<>();
        String startAfter = "";
        ListPage page;
        do {
            page = store.listPage("o/", startAfter, 5);
            seen.addAll(keys(page.objects()));
            startAfter = seen.get(seen.size() - 1);
        } while (page.truncated());

        assertThat(seen).containsExactlyElementsOf(KEYS_IN_S3_ORDER);
        assertThat(requests).containsExactly("ListObjectsV2 200", "ListObjectsV2 200", "ListObjectsV2 200");
    }

    @Test
    void aPageHoldsAtMostAThousandKeys() {
        List<String> keys = IntStream.range(0, 1_001).mapToObj(i -> String.format("t/%04d", i)).toList();
        keys.parallelStream().forEach(k -> putPlain(k, new byte[1]));
        ObjectStore store = store(Optional.empty());

        ListPage page = store.listPage("t/", "", 5_000);
        assertThat(page.objects()).hasSize(1_000);
        assertThat(page.truncated()).isTrue();
        assertThat(keys(store.listPage("t/", keys.get(999), 5_000).objects())).containsExactly("t/1000");
        requests.clear();
        assertThat(keys(store.list("t/"))).containsExactlyElementsOf(keys);
        assertThat(requests).containsExactly("ListObjectsV2 200", "ListObjectsV2 200");
    }

    @Test
    void anEmptyListingIsOnePageNotTruncated() {
        ObjectStore store = ours();
        assertThat(store.listPage("m/", "", 10)).isEqualTo(new ListPage(List.of(), false));
        assertThat(store.list("m/")).isEmpty();
        assertThat(requests).containsExactly("ListObjectsV2 200", "ListObjectsV2 200");
    }

    // ---- prefixes ----

    @Test
    void aPrefixIsMatchedByteForByte() {
        ObjectStore store = ours();
        for (String key : List.of("media/local_content/ab/cd/ef", "medialocal_content/ab/cd/ef", "media-", "mediaX",
                "m\u00e9dia/x", "other/x")) {
            put(store, key, new byte[1]);
        }

        assertThat(keys(store.list("media/"))).containsExactly("media/local_content/ab/cd/ef");
        assertThat(keys(store.list("media"))).as("a prefix is not a directory")
                .containsExactly("media-", "media/local_content/ab/cd/ef", "mediaX", "medialocal_content/ab/cd/ef");
        assertThat(keys(store.list("media/local_content/ab/cd/ef"))).as("a whole key")
                .containsExactly("media/local_content/ab/cd/ef");
        assertThat(keys(store.list("m\u00e9"))).as("non-ASCII").containsExactly("m\u00e9dia/x");
        assertThat(keys(store.list(""))).as("no prefix").containsExactly("media-",
                "media/local_content/ab/cd/ef", "mediaX", "medialocal_content/ab/cd/ef", "m\u00e9dia/x", "other/x");
        assertThat(store.list("media/local_content/ab/cd/efg")).as("longer than any key").isEmpty();
        assertThat(keys(store.listPage("media", "media/", 10).objects())).as("start-after within the prefix")
                .containsExactly("media/local_content/ab/cd/ef", "mediaX", "medialocal_content/ab/cd/ef");
    }

    // ---- local files, digests, the bucket ----

    @Test
    void aLocalFileThatChangedIsNotUploaded() {
        ObjectStore store = ours();
        byte[] data = bytes(1_000, 4);
        BytesUploadFile rewritten = BytesUploadFile.of("rewritten", data);
        rewritten.replaceWith(bytes(1_000, 5));

        for (BytesUploadFile file : List.of(rewritten, BytesUploadFile.scannedAs("short", data, 1_001),
                BytesUploadFile.scannedAs("long", data, 999))) {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class, () -> store.put("m/f", file));
            assertThat(e.errorCode()).as(file.name()).isEqualTo(S3ObjectStore.LOCAL_FILE_CHANGED);
            assertThat(e.looksLikeOutage()).isFalse();
        }
        assertThat(requests).as("nothing sent").isEmpty();
        assertThat(store.list("m/")).isEmpty();
    }

    @Test
    void digestsAreTheLocalBytesMd5AndChecksum() {
        byte[] data = bytes(5_000, 6);
        ObjectStore store = ours();

        ObjectStore.LocalDigest crc = store.digest(BytesUploadFile.of("d", data), Optional.of(ChecksumAlgorithm.CRC64NVME));
        ObjectStore.LocalDigest sha = store.digest(BytesUploadFile.of("d", data), Optional.of(ChecksumAlgorithm.SHA256));
        ObjectStore.LocalDigest md5 = store.digest(BytesUploadFile.of("d", data), Optional.empty());

        assertThat(crc.md5Hex()).isEqualTo(InMemoryObjectStore.md5Hex(data));
        assertThat(crc.checksumBase64()).hasValue(FullObjectChecksumStore.crc64nvme(data));
        assertThat(sha.checksumBase64()).hasValue(InMemoryObjectStore.checksumBase64(ChecksumAlgorithm.SHA256, data));
        assertThat(md5.checksumBase64()).isEmpty();
        assertThat(catchThrowableOfType(ObjectStoreException.class,
                () -> store.digest(BytesUploadFile.scannedAs("d", data, 4_999), Optional.empty())).errorCode())
                .isEqualTo(S3ObjectStore.LOCAL_FILE_CHANGED);
        assertThat(requests).as("local only").isEmpty();
    }

    @Test
    void theBucketCheckPassesForOurBucketAndRefusesAMissingOne() {
        ours().checkBucket();
        ObjectStore missing = storeOfMissingBucket();
        opened.add(missing);

        assertThatThrownBy(missing::checkBucket).isInstanceOf(TargetUnusableException.class)
                .hasMessageContaining("NoSuchBucket");
        assertThat(missing.head("m/x")).as("HEAD has no body to say why").isEqualTo(new HeadResult.Absent());
        assertThat(catchThrowableOfType(ObjectStoreException.class, () -> missing.list("m/")))
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo("NoSuchBucket");
                });
    }

    /**
     * Without s3:ListBucket (a supported mode): listings answer 403 AccessDenied, and the bucket check passes through
     * its GET of a missing key. A HEAD of a missing key: 403 on AWS (so "unknown", not "absent"); Ceph RGW 16.2,
     * denied ListBucket by a bucket policy, still answers 404. S3Proxy has no policies (skipped); the fake imitating it
     * answers as AWS does.
     */
    @Test
    void withoutListBucketListingsAreRefusedAndAMissingKeyIsUnknown() {
        ObjectStore store = ours();
        put(store, "m/there", bytes(10, 1));
        assumeTrue(denyListing(), "this server cannot refuse s3:ListBucket");
        requests.clear();

        store.checkBucket();
        boolean rgw = kind() == S3Store.Kind.RGW;
        assertThat(store.head("m/missing")).isEqualTo(rgw ? new HeadResult.Absent() : new HeadResult.Unknown(403));
        assertThat(store.head("m/there")).isInstanceOf(HeadResult.Present.class);
        ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class, () -> store.listPage("m/", "", 10));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.errorCode()).isEqualTo("AccessDenied");
        assertThat(requests).containsExactly("ListObjectsV2 403", rgw ? "GetObject 404" : "GetObject 403",
                rgw ? "HeadObject 404" : "HeadObject 403", "HeadObject 200", "ListObjectsV2 403");
    }

    static String multipartETag(byte[] data, int partSize) {
        java.security.MessageDigest digest = md5();
        int parts = 0;
        for (int offset = 0; offset < data.length; offset += partSize) {
            digest.update(md5().digest(java.util.Arrays.copyOfRange(data, offset,
                    Math.min(data.length, offset + partSize))));
            parts++;
        }
        return java.util.HexFormat.of().formatHex(digest.digest()) + "-" + parts;
    }

    private static java.security.MessageDigest md5() {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.testing.S3ConfigBuilder;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3TestConfigs;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ObjectStoreTest extends S3ProxyTestBase {
    static final String KEY = "0123456789abcdefghijklmnopqrstuv";
    static final String OTHER_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
    static final long MIB = S3TestConfigs.MIB;


    @TempDir
    Path dir;
    String bucket;
    final List<String> operations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void newBucket() {
        bucket = newBucket("b");
    }

    S3Config config(Optional<String> sseKey) {
        return S3TestConfigs.forServer(server, bucket, "media/", sseKey);
    }

    S3ObjectStore store(S3Config config, S3RequestObserver observer) {
        return new S3ObjectStore(S3ClientFactory.connect(config), config, observer);
    }

    S3ObjectStore store(Optional<String> sseKey) {
        return store(config(sseKey), (op, status, nanos) -> operations.add(op + " " + status));
    }

    Path file(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    static String md5Hex(byte[] data) {
        return Md5.hex(Md5.of(data, data.length));
    }

    static GetObjectRequest get(String bucket, String key, Optional<String> sseKey) {
        GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(bucket).key(key);
        sseKey.map(k -> SseCustomerKey.fromConfiguredString(k, "AES256")).ifPresent(k -> b.sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.keyBase64()).sseCustomerKeyMD5(k.keyMd5Base64()));
        return b.build();
    }

    byte[] read(String key, Optional<String> sseKey) {
        return server.adminClient().getObjectAsBytes(get(bucket, key, sseKey)).asByteArray();
    }

    @Test
    void putThenHeadRoundTripWithSseC() throws IOException {
        Path source = file("a.bin", 1000);
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            PutReceipt receipt = store.put("media/local_content/ab/cd/ef", source, 1000);

            assertThat(receipt.acknowledged()).isTrue();
            assertThat(receipt.checksumVerified()).isTrue();
            assertThat(receipt.sseKeyMd5Echoed()).isTrue();
            assertThat(receipt.size()).isEqualTo(1000);
            assertThat(receipt.md5Hex()).isEqualTo(md5Hex(Files.readAllBytes(source)));
            assertThat(store.head("media/local_content/ab/cd/ef")).isInstanceOfSatisfying(HeadResult.Present.class, p -> assertThat(p.size()).isEqualTo(1000));
        }
        assertThat(operations).containsExactly("PutObject 200", "HeadObject 200");
    }

    @Test
    void sseCObjectIsReadableWithOurKeyOnly() throws IOException {
        Path source = file("a.bin", 4096);
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            store.put("media/x", source, 4096);
        }
        assertThat(read("media/x", Optional.of(KEY))).isEqualTo(Files.readAllBytes(source));
        S3Exception without = catchThrowableOfType(S3Exception.class, () -> read("media/x", Optional.empty()));
        assertThat(without.statusCode()).isEqualTo(400);
        S3Exception other = catchThrowableOfType(S3Exception.class, () -> read("media/x", Optional.of(OTHER_KEY)));
        assertThat(other.statusCode()).isBetween(400, 403);
    }

    @Test
    void storageClassIsStored() throws IOException {
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            store.put("media/sc", file("sc", 10), 10);
        }
        SseCustomerKey k = SseCustomerKey.fromConfiguredString(KEY, "AES256");
        HeadObjectResponse head = server.adminClient().headObject(b -> b.bucket(bucket).key("media/sc")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(k.keyBase64()).sseCustomerKeyMD5(k.keyMd5Base64()));
        assertThat(head.storageClassAsString()).isEqualTo("STANDARD_IA");
    }

    /** Our receipts rely on this: the server itself rejects a body whose MD5 differs from Content-MD5. */
    @Test
    void serverRejectsContentMd5Mismatch() {
        byte[] body = "the real bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String wrongMd5 = Md5.base64(Md5.of("other bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8), 11));

        S3Exception e = catchThrowableOfType(S3Exception.class, () -> server.adminClient().putObject(
                b -> b.bucket(bucket).key("media/bad").contentMD5(wrongMd5), RequestBody.fromBytes(body)));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
        assertThat(server.adminClient().listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    /** The per-part guarantee of multipart receipts: UploadPart with a wrong Content-MD5 is rejected too. */
    @Test
    void serverRejectsContentMd5MismatchOnUploadPart() {
        S3Client admin = server.adminClient();
        String uploadId = admin.createMultipartUpload(b -> b.bucket(bucket).key("media/mp")).uploadId();
        byte[] body = new byte[1024];
        String wrongMd5 = Md5.base64(Md5.of(new byte[] {1}, 1));

        S3Exception e = catchThrowableOfType(S3Exception.class, () -> admin.uploadPart(b -> b.bucket(bucket)
                .key("media/mp").uploadId(uploadId).partNumber(1).contentMD5(wrongMd5), RequestBody.fromBytes(body)));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
        admin.abortMultipartUpload(b -> b.bucket(bucket).key("media/mp").uploadId(uploadId));
    }

    @Test
    void zeroLengthFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            PutReceipt receipt = store.put("media/empty", empty, 0);

            assertThat(receipt.acknowledged()).isTrue();
            assertThat(receipt.md5Hex()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
            assertThat(store.head("media/empty")).isInstanceOfSatisfying(HeadResult.Present.class, p -> assertThat(p.size()).isEqualTo(0));
        }
        assertThat(read("media/empty", Optional.of(KEY))).isEmpty();
    }

    @Test
    void multipartFileWithSseCReadsBackByteIdentical() throws IOException {
        int size = (int) (12 * MIB + 12345);
        Path source = file("video", size);
        byte[] expected = Files.readAllBytes(source);
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            PutReceipt receipt = store.put("media/video", source, size);

            assertThat(receipt.acknowledged()).isTrue();
            assertThat(receipt.md5Hex()).isEqualTo(md5Hex(expected));
            assertThat(store.head("media/video")).isInstanceOfSatisfying(HeadResult.Present.class, p -> assertThat(p.size()).isEqualTo(size));
        }
        assertThat(read("media/video", Optional.of(KEY))).isEqualTo(expected);
        assertThat(catchThrowableOfType(S3Exception.class, () -> read("media/video", Optional.empty())).statusCode())
                .isEqualTo(400);
        // Storage class of multipart objects: S3Proxy 4.1.1 (transient-nio2) stores STANDARD whatever
        // CreateMultipartUpload asked for; WireHeadersTest shows we send x-amz-storage-class on it.
        assertThat(operations).containsExactly("CreateMultipartUpload 200", "UploadPart 200", "UploadPart 200",
                "UploadPart 200", "CompleteMultipartUpload 200", "HeadObject 200");
        assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void fileShrinkingDuringMultipartAbortsTheUpload() throws IOException {
        int size = (int) (12 * MIB);
        Path source = file("shrinks", size);
        S3RequestObserver truncateAfterFirstPart = (op, status, nanos) -> {
            operations.add(op + " " + status);
            if (op.equals("UploadPart")) {
                truncate(source, 6 * MIB);
            }
        };
        try (S3ObjectStore store = store(config(Optional.of(KEY)), truncateAfterFirstPart)) {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                    () -> store.put("media/shrinks", source, size));

            assertThat(e.errorCode()).isEqualTo(S3ObjectStore.LOCAL_FILE_CHANGED);
            assertThat(e.looksLikeOutage()).isFalse();
            assertThat(store.head("media/shrinks")).isEqualTo(new HeadResult.Absent());
        }
        assertThat(operations).contains("AbortMultipartUpload 204");
        assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void interruptDuringMultipartAbortsTheUpload() throws IOException {
        int size = (int) (12 * MIB);
        Path source = file("interrupted", size);
        S3RequestObserver interruptAfterFirstPart = (op, status, nanos) -> {
            operations.add(op + " " + status);
            if (op.equals("UploadPart")) {
                Thread.currentThread().interrupt();
            }
        };
        try (S3ObjectStore store = store(config(Optional.of(KEY)), interruptAfterFirstPart)) {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                    () -> store.put("media/interrupted", source, size));

            assertThat(e.errorCode()).isEqualTo(S3ObjectStore.CANCELLED);
            assertThat(Thread.interrupted()).as("interrupt flag preserved").isTrue();
        }
        assertThat(operations).contains("AbortMultipartUpload 204");
        assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void singlePartUploadAboveTheInMemoryLimitIsStreamedAndReadsBackByteIdentical() throws IOException {
        int size = 3 * SinglePartUpload.IN_MEMORY_LIMIT + 17;
        Path source = file("streamed", size);
        PutReceipt receipt;
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            receipt = store.put("media/streamed", source, size);
        }
        assertThat(receipt.acknowledged()).isTrue();
        assertThat(receipt.md5Hex()).isEqualTo(HexFormat.of().formatHex(md5(Files.readAllBytes(source))));
        assertThat(operations).containsExactly("PutObject 200");
        assertThat(read("media/streamed", Optional.of(KEY))).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    void singlePartFileOfOtherSizeIsNotSent() throws IOException {
        Path source = file("changed", 100);
        Path streamed = file("changed-streamed", 2 * SinglePartUpload.IN_MEMORY_LIMIT);
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            assertThatThrownBy(() -> store.put("media/changed", streamed, 2L * SinglePartUpload.IN_MEMORY_LIMIT + 1))
                    .as("streamed").isInstanceOfSatisfying(ObjectStoreException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(S3ObjectStore.LOCAL_FILE_CHANGED));
            assertThatThrownBy(() -> store.put("media/changed", source, 99))
                    .isInstanceOfSatisfying(ObjectStoreException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(S3ObjectStore.LOCAL_FILE_CHANGED));
            assertThatThrownBy(() -> store.put("media/changed", source, 101))
                    .isInstanceOfSatisfying(ObjectStoreException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(S3ObjectStore.LOCAL_FILE_CHANGED));
            assertThatThrownBy(() -> store.put("media/changed", source, 20 * MIB))
                    .as("multipart-sized").isInstanceOfSatisfying(ObjectStoreException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(S3ObjectStore.LOCAL_FILE_CHANGED));
            assertThatThrownBy(() -> store.put("media/gone", dir.resolve("gone"), 10))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(S3ObjectStore.LOCAL_READ_FAILED);
                        assertThat(e.looksLikeOutage()).isFalse();
                    });
        }
        assertThat(operations).as("nothing sent").isEmpty();
    }

    @Test
    void headOfAbsentObjectIsAbsent() {
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            assertThat(store.head("media/nothing")).isEqualTo(new HeadResult.Absent());
        }
        assertThat(operations).containsExactly("HeadObject 404");
    }

    @Test
    void headAnswered403IsUnknown() {
        S3Config base = config(Optional.of(KEY));
        S3Config wrongSecret = S3ConfigBuilder.from(base)
                .secretAccessKey(Optional.of(new org.mediaoffload.config.Secret("wrong"))).maxAttempts(1).build();
        try (S3ObjectStore store = S3ObjectStore.create(wrongSecret, S3RequestObserver.NONE)) {
            assertThat(store.head("media/anything")).isEqualTo(new HeadResult.Unknown(403));
        }
    }

    @Test
    void headOfObjectWrittenWithoutSseCIsUnreadable() {
        server.adminClient().putObject(b -> b.bucket(bucket).key("media/plain"), RequestBody.fromString("plain"));
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            HeadResult result = store.head("media/plain");

            assertThat(result).isInstanceOf(HeadResult.Unreadable.class);
            // RGW ignores the key and answers 200 without echoing it (RgwBehaviourTest); AWS and S3Proxy answer 400.
            assertThat(((HeadResult.Unreadable) result).status())
                    .isEqualTo(server.kind() == org.mediaoffload.testing.S3Store.Kind.RGW ? 200 : 400);
        }
    }

    @Test
    void headOfObjectWrittenWithAnotherKeyIsUnreadable() throws IOException {
        try (S3ObjectStore other = store(Optional.of(OTHER_KEY))) {
            other.put("media/other", file("o", 10), 10);
        }
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            assertThat(store.head("media/other")).isInstanceOf(HeadResult.Unreadable.class);
        }
        try (S3ObjectStore noKey = store(Optional.empty())) {
            assertThat(noKey.head("media/other")).as("SSE-C object, no key configured")
                    .isInstanceOf(HeadResult.Unreadable.class);
        }
    }

    @Test
    void listReportsPlaintextSizesOfSseCObjectsAcrossPages() throws IOException {
        try (S3ObjectStore store = store(Optional.of(KEY))) {
            store.put("media/a", file("a", 1), 1);
            store.put("media/b", file("b", 1000), 1000);
            store.put("media/c", file("c", 65537), 65537);
            server.adminClient().putObject(b -> b.bucket(bucket).key("elsewhere/x"), RequestBody.fromString("x"));

            assertThat(store.list("media/")).extracting(ListedObject::key, ListedObject::size).containsExactly(
                    tuple("media/a", 1L), tuple("media/b", 1000L), tuple("media/c", 65537L));
        }
    }

    @Test
    void listFollowsContinuationTokens() {
        for (int i = 0; i < 1005; i++) {
            String key = String.format("p/%04d", i);
            server.adminClient().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
        }
        try (S3ObjectStore store = store(Optional.empty())) {
            assertThat(store.list("p/")).hasSize(1005);
        }
        assertThat(operations).containsExactly("ListObjectsV2 200", "ListObjectsV2 200");
    }

    @Test
    void prefixWithAndWithoutTrailingSlashIsUsedVerbatim() throws IOException {
        S3Config withSlash = S3TestConfigs.forServer(server, bucket, "media/", Optional.of(KEY));
        S3Config withoutSlash = S3TestConfigs.forServer(server, bucket, "media", Optional.of(KEY));
        assertThat(withSlash.keyFor("local_content/ab/cd/ef")).isEqualTo("media/local_content/ab/cd/ef");
        assertThat(withoutSlash.keyFor("local_content/ab/cd/ef")).isEqualTo("medialocal_content/ab/cd/ef");
        try (S3ObjectStore store = store(withSlash, S3RequestObserver.NONE)) {
            store.put(withSlash.keyFor("local_content/ab/cd/ef"), file("1", 5), 5);
            store.put(withoutSlash.keyFor("local_content/ab/cd/ef"), file("2", 6), 6);

            assertThat(store.list("media/")).extracting(ListedObject::key, ListedObject::size)
                    .containsExactly(tuple("media/local_content/ab/cd/ef", 5L));
            assertThat(store.list("media")).extracting(ListedObject::key, ListedObject::size).containsExactly(
                    tuple("media/local_content/ab/cd/ef", 5L), tuple("medialocal_content/ab/cd/ef", 6L));
        }
    }

    @Test
    void bandwidthLimitedUploadArrivesIntact() throws IOException {
        S3Config base = config(Optional.of(KEY));
        S3Config limited = S3ConfigBuilder.from(base).bandwidthLimit(MIB).build();
        Path source = file("paced", (int) (2 * MIB));
        try (S3ObjectStore store = store(limited, S3RequestObserver.NONE)) {
            assertThat(store.put("media/paced", source, 2 * MIB).acknowledged()).isTrue();
        }
        assertThat(read("media/paced", Optional.of(KEY))).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    void errorsNameKeyAndCodeButNoSecrets() throws IOException {
        S3Config base = config(Optional.of(KEY));
        S3Config missingBucket = S3TestConfigs.forServer(server, "no-such-bucket-here", "", Optional.of(KEY));
        SseCustomerKey k = base.sseCustomerKey().orElseThrow();
        try (S3ObjectStore store = store(missingBucket, S3RequestObserver.NONE)) {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                    () -> store.put("media/k", file("k", 10), 10));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.errorCode()).isEqualTo("NoSuchBucket");
            assertThat(e.getMessage()).contains("PutObject", "no-such-bucket-here", "media/k", "404", "NoSuchBucket")
                    .doesNotContain(KEY, k.keyBase64(), k.keyMd5Base64(), server.secretKey(), server.accessKey());
        }
    }

    static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] md5(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

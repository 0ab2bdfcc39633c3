package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.mediaoffload.testing.RgwServer;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3Store;
import org.mediaoffload.testing.S3TestConfigs;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Where Ceph RGW 16.2 answers differently from AWS and S3Proxy, pinned down so that a new RGW release that changes
 * one is noticed, and so that our handling of each (in the code named by each test) stays tested on the real server.
 */
@S3Store(S3Store.Kind.RGW)
class RgwBehaviourTest extends S3ProxyTestBase {
    static final String KEY = S3ObjectStoreTest.KEY;
    static final String OTHER_KEY = S3ObjectStoreTest.OTHER_KEY;

    @TempDir
    Path dir;
    String bucket;

    @BeforeEach
    void newBucket() {
        bucket = newBucket("rgw");
    }

    private RgwServer rgw() {
        return (RgwServer) server;
    }

    private S3Config config(Optional<String> sseKey) {
        return S3TestConfigs.forServer(server, bucket, "", sseKey);
    }

    private Path file(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    private static SseCustomerKey sseKey(String key) {
        return SseCustomerKey.fromConfiguredString(key, "AES256");
    }

    private HeadObjectResponse headWith(String key, String sse) {
        SseCustomerKey k = sseKey(sse);
        return server.adminClient().headObject(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.keyBase64()).sseCustomerKeyMD5(k.keyMd5Base64()));
    }

    @Test
    void anUndefinedStorageClassIsABare400InvalidArgument() {
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> server.adminClient().putObject(
                b -> b.bucket(bucket).key("k").storageClass("INTELLIGENT_TIERING"), RequestBody.fromString("x")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
        assertThat(e.awsErrorDetails().errorMessage()).as("no message names the class").isNullOrEmpty();
    }

    @Test
    void sseCOverPlainHttpIsA400InvalidRequest() {
        S3Config overHttp = S3TestConfigs.forEndpoint(server, rgw().httpEndpoint(), bucket, "", Optional.of(KEY));
        SseCustomerKey k = sseKey(KEY);
        try (S3Client client = S3ClientFactory.create(overHttp)) {
            S3Exception e = catchThrowableOfType(S3Exception.class, () -> client.putObject(b -> b.bucket(bucket)
                    .key("k").sseCustomerAlgorithm("AES256").sseCustomerKey(k.keyBase64())
                    .sseCustomerKeyMD5(k.keyMd5Base64()), RequestBody.fromString("x")));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
            // The same request without SSE-C is fine over HTTP.
            client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
        }
    }

    /** S3ObjectStore#head: a 400 without an error code is "unreadable with our key", as on AWS. */
    @Test
    void headWithoutOrWithAWrongKeyIsABare400AndReadsAsUnreadable() throws IOException {
        try (S3ObjectStore store = S3ObjectStore.create(config(Optional.of(KEY)), S3RequestObserver.NONE)) {
            store.put("enc", file("enc", 100), 100);
        }
        S3Exception without = catchThrowableOfType(S3Exception.class,
                () -> server.adminClient().headObject(b -> b.bucket(bucket).key("enc")));
        S3Exception wrong = catchThrowableOfType(S3Exception.class, () -> headWith("enc", OTHER_KEY));

        assertThat(List.of(without, wrong)).allSatisfy(e -> assertThat(e.statusCode()).isEqualTo(400));
        try (S3ObjectStore other = S3ObjectStore.create(config(Optional.of(OTHER_KEY)), S3RequestObserver.NONE);
                S3ObjectStore none = S3ObjectStore.create(config(Optional.empty()), S3RequestObserver.NONE)) {
            assertThat(other.head("enc")).isEqualTo(new HeadResult.Unreadable(400, "BadRequest"));
            assertThat(none.head("enc")).isEqualTo(new HeadResult.Unreadable(400, "BadRequest"));
        }
        // GET says more than HEAD can.
        S3Exception get = catchThrowableOfType(S3Exception.class,
                () -> server.adminClient().getObjectAsBytes(b -> b.bucket(bucket).key("enc")));
        assertThat(get.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
    }

    /**
     * RGW ignores SSE-C headers on an object stored without SSE-C: HEAD and GET answer 200 with the plaintext, where
     * AWS and S3Proxy answer 400. Synapse can read such an object, but it is not encrypted at rest as configured;
     * S3ObjectStore#head notices from the missing SSE-C echo and reports it unreadable, as on the other stores.
     */
    @Test
    void sseCHeadersForAPlainObjectAreIgnoredAndWeNoticeFromTheMissingEcho() {
        server.adminClient().putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("plain"));

        HeadObjectResponse head = headWith("plain", KEY);
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.sseCustomerKeyMD5()).as("no echo of our key").isNull();
        SseCustomerKey k = sseKey(KEY);
        assertThat(server.adminClient().getObjectAsBytes(b -> b.bucket(bucket).key("plain")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(k.keyBase64()).sseCustomerKeyMD5(k.keyMd5Base64()))
                .asUtf8String()).isEqualTo("plain");

        try (S3ObjectStore store = S3ObjectStore.create(config(Optional.of(KEY)), S3RequestObserver.NONE)) {
            assertThat(store.head("plain")).isInstanceOf(HeadResult.Unreadable.class);
        }
        try (S3ObjectStore store = S3ObjectStore.create(config(Optional.empty()), S3RequestObserver.NONE)) {
            assertThat(store.head("plain")).isInstanceOfSatisfying(HeadResult.Present.class,
                    present -> assertThat(present.size()).isEqualTo(5));
        }
    }

    /** Our multipart receipts never relied on Complete's ETag: each part's Content-MD5 is what the store verified. */
    @Test
    void completeMultipartUploadAnswersAnEmptyETagAndHeadThenShowsTheDashNEtag() throws IOException {
        S3Client admin = server.adminClient();
        String uploadId = admin.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        byte[] part = new byte[5 * 1024 * 1024];
        String partEtag = admin.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part)).eTag();
        CompleteMultipartUploadResponse completed = admin.completeMultipartUpload(b -> b.bucket(bucket).key("mp")
                .uploadId(uploadId).multipartUpload(m -> m.parts(software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                        .partNumber(1).eTag(partEtag).build())));

        assertThat(completed.eTag()).isNullOrEmpty();
        assertThat(admin.headObject(b -> b.bucket(bucket).key("mp")).eTag()).endsWith("-1\"");

        // Our own multipart objects: 12 MiB in 5 MiB parts, SSE-C. ETag = MD5 of the parts' MD5s, "-3".
        int size = (int) (12 * S3TestConfigs.MIB + 5);
        Path source = file("big", size);
        PutReceipt receipt;
        try (S3ObjectStore store = S3ObjectStore.create(config(Optional.of(KEY)), S3RequestObserver.NONE)) {
            receipt = store.put("ours", source, size);
        }
        assertThat(receipt.acknowledged()).isTrue();
        assertThat(receipt.sseKeyMd5Echoed()).isTrue();
        byte[] bytes = Files.readAllBytes(source);
        assertThat(headWith("ours", KEY).eTag()).isEqualTo("\"" + multipartEtag(bytes, (int) (5 * S3TestConfigs.MIB))
                + "\"");
    }

    /** What a content proof can use on RGW: a single-part SSE-C object's ETag is the plaintext's MD5 (not on AWS). */
    @Test
    void aSinglePartSseCObjectsEtagIsThePlaintextMd5() throws IOException {
        Path source = file("one", 70_000);
        try (S3ObjectStore store = S3ObjectStore.create(config(Optional.of(KEY)), S3RequestObserver.NONE)) {
            store.put("one", source, 70_000);
        }
        byte[] bytes = Files.readAllBytes(source);
        assertThat(headWith("one", KEY).eTag()).isEqualTo("\"" + Md5.hex(Md5.of(bytes, bytes.length)) + "\"");
    }

    /** Why our uploads carry Content-MD5: RGW verifies it, but accepts a wrong x-amz-checksum-* and keeps none. */
    @Test
    void checksumHeadersAreAcceptedButNeitherVerifiedNorStored() {
        S3Client admin = server.adminClient();
        admin.putObject(b -> b.bucket(bucket).key("crc").checksumCRC32("AAAAAA=="), RequestBody.fromString("body"));

        assertThat(admin.getObjectAsBytes(b -> b.bucket(bucket).key("crc")).asUtf8String()).isEqualTo("body");
        assertThat(admin.headObject(b -> b.bucket(bucket).key("crc").checksumMode("ENABLED")).checksumCRC32())
                .isNull();
        S3Exception badMd5 = catchThrowableOfType(S3Exception.class, () -> admin.putObject(
                b -> b.bucket(bucket).key("md5").contentMD5(Md5.base64(Md5.of(new byte[1], 1))),
                RequestBody.fromString("body")));
        assertThat(badMd5.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
    }

    /** Upstream's script and our offload never copy objects; an admin's server-side copy of SSE-C media fails. */
    @Test
    void copyObjectOfAnSseCObjectIsNotImplemented() throws IOException {
        try (S3ObjectStore store = S3ObjectStore.create(config(Optional.of(KEY)), S3RequestObserver.NONE)) {
            store.put("src", file("src", 10), 10);
        }
        SseCustomerKey k = sseKey(KEY);
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> server.adminClient().copyObject(b -> b
                .sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("dst")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(k.keyBase64())
                .copySourceSSECustomerKeyMD5(k.keyMd5Base64()).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.keyBase64()).sseCustomerKeyMD5(k.keyMd5Base64())));

        assertThat(e.statusCode()).isEqualTo(501);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
    }

    /** Harmless for us: S3ObjectStore#list passes the token back opaquely, KeyRangeSweep uses start-after. */
    @Test
    void theContinuationTokenIsTheLastKeyOfThePage() {
        for (String key : List.of("a", "b", "c")) {
            server.adminClient().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
        }
        ListObjectsV2Response page = server.adminClient().listObjectsV2(b -> b.bucket(bucket).maxKeys(2));

        assertThat(page.isTruncated()).isTrue();
        assertThat(page.nextContinuationToken()).isEqualTo("b");
        assertThat(server.adminClient().listObjectsV2(b -> b.bucket(bucket).startAfter("a").maxKeys(5)).contents())
                .extracting(o -> o.key()).containsExactly("b", "c");
    }

    /** DeleteObjects (an admin's cleanup, not ours) works whether the client sends Content-MD5 or a CRC32. */
    @Test
    void deleteObjectsWorksWithAndWithoutContentMd5() {
        for (String key : List.of("d1", "d2", "d3", "d4")) {
            server.adminClient().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
        }
        try (S3Client withMd5 = clientWith(new AddContentMd5());
                S3Client withoutMd5 = clientWith(new StripContentMd5())) {
            DeleteObjectsResponse first = withMd5.deleteObjects(b -> b.bucket(bucket)
                    .delete(d -> d.objects(ObjectIdentifier.builder().key("d1").build(),
                            ObjectIdentifier.builder().key("d2").build())));
            DeleteObjectsResponse second = withoutMd5.deleteObjects(b -> b.bucket(bucket)
                    .delete(d -> d.objects(ObjectIdentifier.builder().key("d3").build())));

            assertThat(first.deleted()).hasSize(2);
            assertThat(second.deleted()).hasSize(1);
            assertThat(first.errors()).isEmpty();
            assertThat(second.errors()).isEmpty();
        }
        assertThat(server.adminClient().listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(o -> o.key())
                .containsExactly("d4");
    }

    private S3Client clientWith(ExecutionInterceptor interceptor) {
        return S3ClientFactory.builder(config(Optional.empty()))
                .overrideConfiguration(o -> o.addExecutionInterceptor(interceptor)).build();
    }

    /** Replaces whatever integrity header the SDK chose with Content-MD5 of the body. */
    private static final class AddContentMd5 implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            byte[] body = context.requestBody().map(b -> {
                try (InputStream in = b.contentStreamProvider().newStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).orElse(new byte[0]);
            return withoutIntegrityHeaders(context.httpRequest()).putHeader("Content-MD5",
                    Md5.base64(Md5.of(body, body.length))).build();
        }
    }

    private static final class StripContentMd5 implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            return withoutIntegrityHeaders(context.httpRequest()).build();
        }
    }

    private static SdkHttpRequest.Builder withoutIntegrityHeaders(SdkHttpRequest request) {
        SdkHttpRequest.Builder b = request.toBuilder();
        request.headers().keySet().stream().filter(h -> h.equalsIgnoreCase("Content-MD5")
                || h.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-checksum-")
                || h.equalsIgnoreCase("x-amz-sdk-checksum-algorithm")).toList().forEach(b::removeHeader);
        return b;
    }

    private static String multipartEtag(byte[] data, int partSize) {
        java.security.MessageDigest digest = Md5.newDigest();
        int parts = 0;
        for (int offset = 0; offset < data.length; offset += partSize) {
            int length = Math.min(partSize, data.length - offset);
            digest.update(Md5.of(java.util.Arrays.copyOfRange(data, offset, offset + length), length));
            parts++;
        }
        return Md5.hex(digest.digest()) + "-" + parts;
    }

}

package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.Secret;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.testing.S3ConfigBuilder;
import org.mediaoffload.testing.S3ProxyServer;
import org.mediaoffload.testing.S3TestConfigs;
import org.mediaoffload.testing.ToxicProxy;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The lean PutObject path ({@link LeanPut}) against S3Proxy over HTTPS with SSE-C: the same request as the SDK client
 * sends, the same failures and retries. The contract tests (S3ObjectStoreContractTest, S3ObjectStoreTest and their
 * Ceph RGW subclasses) run the store on it too.
 */
class LeanPutTest {
    static final String KEY = S3ObjectStoreTest.KEY;
    /** Headers only the SDK pipeline adds (invocation id, attempt count, its user agent) or that vary per request. */
    private static final Set<String> PER_REQUEST = Set.of("amz-sdk-invocation-id", "amz-sdk-request", "user-agent",
            "x-amz-date", "authorization");

    @TempDir
    Path dir;

    /** The HTTP client the store's connection executes on, recording each attempt as sent to it. */
    static final class Recording implements SdkHttpClient {
        final SdkHttpClient delegate;
        final List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();

        Recording(SdkHttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            sent.add(request.httpRequest());
            return delegate.prepareRequest(request);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** S3Proxy's store answering the first {@code failures} PutObjects 503 SlowDown, as AWS does when throttling. */
    static final class SlowDown extends ForwardingBlobStore {
        final AtomicInteger puts = new AtomicInteger();
        final int failures;

        SlowDown(BlobStore delegate, int failures) {
            super(delegate);
            this.failures = failures;
        }

        @Override
        public software.amazon.awssdk.services.s3.model.PutObjectResponse putBlob(
                software.amazon.awssdk.services.s3.model.PutObjectRequest request, InputStream body) {
            if (puts.incrementAndGet() <= failures) {
                throw S3Exception.builder().statusCode(503).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("SlowDown").errorMessage("Please reduce your request rate.").build()).build();
            }
            return super.putBlob(request, body);
        }
    }

    Path file(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    private static S3ObjectStore lean(S3Config config, Recording[] recording, S3RequestObserver observer) {
        UnaryOperator<SdkHttpClient> wrap = http -> recording[0] = new Recording(http);
        return new S3ObjectStore(S3ClientFactory.connect(config, wrap), config, observer);
    }

    private static Map<String, String> comparable(SdkHttpRequest request) {
        Map<String, String> headers = new TreeMap<>();
        request.headers().forEach((name, values) -> {
            if (!PER_REQUEST.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        headers.put(":method", request.method().name());
        headers.put(":url", request.getUri().toString());
        return headers;
    }

    /** Keeps every request the S3Client sends, as it goes on the wire (signed, headers final). */
    private static ExecutionInterceptor capturing(List<SdkHttpRequest> into) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                into.add(context.httpRequest());
            }
        };
    }

    /** What {@link #onTheWire} saw: the client's requests as sent, and LeanPut's. */
    private record Wire(List<SdkHttpRequest> viaClient, List<SdkHttpRequest> viaLean) {}

    /** Puts made through both stores of {@link #onTheWire}, with the server for reading back what was stored. */
    @FunctionalInterface
    private interface Puts {
        void send(S3ObjectStore viaClient, S3ObjectStore viaLean, S3ProxyServer server) throws IOException;
    }

    /**
     * One S3Proxy with bucket {@code bucket}, reached at {@code endpoint}: a store whose PUTs go through the SDK
     * client (each captured as it goes on the wire) and a store whose PUTs go the lean way (recorded), for the two
     * wire comparisons, which differ only in the endpoint and in what they send.
     */
    private static Wire onTheWire(String bucket, Function<S3ProxyServer, URI> endpoint, Puts puts) throws IOException {
        List<SdkHttpRequest> viaClient = new CopyOnWriteArrayList<>();
        ExecutionInterceptor capture = capturing(viaClient);
        Recording[] lean = new Recording[1];
        try (S3ProxyServer server = S3ProxyServer.start()) {
            server.createBucket(bucket);
            S3Config config = S3TestConfigs.forEndpoint(server, endpoint.apply(server), bucket, "", Optional.of(KEY));
            try (S3ObjectStore sdk = new S3ObjectStore(S3ClientFactory.builder(config)
                    .overrideConfiguration(o -> o.addExecutionInterceptor(capture)).build(), config,
                    S3RequestObserver.NONE);
                    S3ObjectStore store = lean(config, lean, S3RequestObserver.NONE)) {
                puts.send(sdk, store, server);
            }
        }
        return new Wire(viaClient, lean[0].sent);
    }

    @Test
    void sendsWhatTheClientSends() throws IOException {
        Path small = file("small", 1000);
        Path streamed = file("streamed", SinglePartUpload.IN_MEMORY_LIMIT + 10);
        // A key with bytes the path must encode (space, non-ASCII, parentheses) and one it must not (tilde).
        String odd = "media/a b~c/é(1)";
        Wire wire = onTheWire("wire", S3ProxyServer::endpoint, (sdk, store, server) -> {
            for (S3ObjectStore s : List.of(sdk, store)) {
                s.put(odd, small, 1000);
                s.put("small-sha256", new PathUploadFile(small, 1000), true);
                s.put("streamed", streamed, SinglePartUpload.IN_MEMORY_LIMIT + 10);
            }
        });

        List<SdkHttpRequest> sent = wire.viaLean();
        assertThat(sent).hasSize(3);
        assertThat(sent).extracting(LeanPutTest::comparable)
                .containsExactlyElementsOf(wire.viaClient().stream().map(LeanPutTest::comparable).toList());
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(KEY, "AES256");
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.firstMatchingHeader("x-amz-server-side-encryption-customer-key")).contains(key.keyBase64());
            assertThat(r.firstMatchingHeader("x-amz-server-side-encryption-customer-key-MD5"))
                    .contains(key.keyMd5Base64());
            assertThat(r.firstMatchingHeader("x-amz-server-side-encryption-customer-algorithm")).contains("AES256");
            assertThat(r.firstMatchingHeader("x-amz-storage-class")).contains("STANDARD_IA");
            assertThat(r.firstMatchingHeader("Content-MD5")).isPresent();
            assertThat(r.firstMatchingHeader("Expect")).isEmpty();
            assertThat(r.firstMatchingHeader("x-amz-content-sha256")).contains("UNSIGNED-PAYLOAD");
        });
        assertThat(sent).extracting(r -> r.firstMatchingHeader("x-amz-checksum-sha256").isPresent())
                .as("x-amz-checksum-sha256 only when asked").containsExactly(false, true, false);
        assertThat(sent.get(0).encodedPath()).isEqualTo("/wire/media/a%20b~c/%C3%A9%281%29");
    }

    /**
     * An {@code http://} endpoint: without TLS the body is signed, as the client signs it, in aws-chunked chunks
     * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) for a body in memory and for one streamed from the file; the same
     * headers as the client's (Content-MD5 and SSE-C included), and both bodies arrive intact.
     */
    @Test
    void overPlainHttpSendsWhatTheClientSendsWithTheBodySignedInChunks() throws IOException {
        Path small = file("small", 1000);
        Path streamed = file("streamed", SinglePartUpload.IN_MEMORY_LIMIT + 10);
        Wire wire = onTheWire("plain", S3ProxyServer::plainEndpoint, (sdk, store, server) -> {
            sdk.put("sdk-small", small, 1000);
            sdk.put("sdk-streamed", streamed, SinglePartUpload.IN_MEMORY_LIMIT + 10);
            assertThat(store.put("small", small, 1000).acknowledged()).isTrue();
            assertThat(store.put("streamed", streamed, SinglePartUpload.IN_MEMORY_LIMIT + 10).acknowledged())
                    .isTrue();
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(KEY, "AES256");
            for (Path p : List.of(small, streamed)) {
                byte[] stored = server.adminClient().getObjectAsBytes(b -> b.bucket("plain")
                        .key(p.getFileName().toString()).sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64())).asByteArray();
                assertThat(stored).isEqualTo(Files.readAllBytes(p));
            }
        });

        List<SdkHttpRequest> sent = wire.viaLean();
        assertThat(sent).hasSize(2);
        assertThat(sent).allSatisfy(r -> assertThat(r.protocol()).isEqualTo("http"));
        assertThat(sent).extracting(r -> comparable(r).get(":url"))
                .allSatisfy(url -> assertThat(url).startsWith("http://127.0.0.1:"));
        assertThat(sent).extracting(LeanPutTest::comparableWithoutKey)
                .containsExactlyElementsOf(wire.viaClient().stream().map(LeanPutTest::comparableWithoutKey).toList());
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.firstMatchingHeader("x-amz-content-sha256")).contains("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
            assertThat(r.firstMatchingHeader("Content-Encoding")).contains("aws-chunked");
            assertThat(r.firstMatchingHeader("Content-MD5")).isPresent();
        });
        assertThat(sent).extracting(r -> r.firstMatchingHeader("x-amz-decoded-content-length").orElseThrow())
                .containsExactly("1000", Long.toString(SinglePartUpload.IN_MEMORY_LIMIT + 10));
    }

    /** {@link #comparable} without the key, for two requests of the same bytes to different keys. */
    private static Map<String, String> comparableWithoutKey(SdkHttpRequest request) {
        Map<String, String> headers = comparable(request);
        String url = headers.get(":url");
        headers.put(":url", url.substring(0, url.lastIndexOf('/')));
        return headers;
    }

    @Test
    void storesTheBytesWithOurKeyAndClass() throws IOException {
        Path source = file("f", 45_000);
        try (S3ProxyServer server = S3ProxyServer.start()) {
            server.createBucket("lean-b");
            S3Config config = S3TestConfigs.forServer(server, "lean-b", "", Optional.of(KEY));
            PutReceipt receipt;
            try (S3ObjectStore store = S3ObjectStore.create(config, S3RequestObserver.NONE)) {
                receipt = store.put("k", source, 45_000);
            }
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(KEY, "AES256");
            assertThat(receipt.acknowledged()).isTrue();
            assertThat(receipt.sseKeyMd5Echoed()).isTrue();
            assertThat(receipt.md5Hex()).isEqualTo(Md5.hex(Md5.of(Files.readAllBytes(source), 45_000)));
            var stored = server.adminClient().getObjectAsBytes(b -> b.bucket("lean-b").key("k")
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()));
            assertThat(stored.asByteArray()).isEqualTo(Files.readAllBytes(source));
            assertThat(stored.response().storageClassAsString()).isIn("STANDARD_IA", null);
            assertThat(server.adminClient().headObject(b -> b.bucket("lean-b").key("k").sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64())).storageClassAsString())
                    .isEqualTo("STANDARD_IA");
        }
    }

    @Test
    void aWrongContentMd5IsRefusedOnceAsBadDigest() {
        try (S3ProxyServer server = S3ProxyServer.start()) {
            server.createBucket("lean-b");
            S3Config config = S3TestConfigs.forServer(server, "lean-b", "", Optional.of(KEY));
            Recording[] recording = new Recording[1];
            try (S3Connection connection = S3ClientFactory.connect(config, http -> recording[0] = new Recording(http));
                    LeanPut lean = new LeanPut(connection, config)) {
                byte[] body = "the real bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                PutObjectRequest wrong = new SseC(config.sseCustomerKey()).apply(PutObjectRequest.builder()
                        .bucket("lean-b").key("bad").contentLength((long) body.length)
                        .contentMD5(Md5.base64(Md5.of(new byte[] {1}, 1)))).build();

                S3Exception e = catchThrowableOfType(S3Exception.class,
                        () -> lean.putObject(wrong, RequestBody.fromBytes(body)));

                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
                assertThat(recording[0].sent).as("not retried").hasSize(1);
            }
            assertThat(server.adminClient().listObjectsV2(b -> b.bucket("lean-b")).contents()).isEmpty();
        }
    }

    @Test
    void retriesA503SlowDownAndReReadsTheBody() throws IOException {
        Path small = file("small", 1000);
        Path streamed = file("streamed", SinglePartUpload.IN_MEMORY_LIMIT + 10);
        SlowDown[] slow = new SlowDown[1];
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(s -> slow[0] = new SlowDown(s, 2)).start()) {
            server.createBucket("lean-b");
            // Attempts to spare: a 503 to a streamed body closes the connection mid-write (the client sees a broken
            // pipe, not the 503), and an attempt may also meet a pooled connection the server has closed meanwhile.
            S3Config config = S3ConfigBuilder.from(S3TestConfigs.forServer(server, "lean-b", "", Optional.of(KEY)))
                    .maxAttempts(6).build();
            List<String> calls = new CopyOnWriteArrayList<>();
            Recording[] recording = new Recording[1];
            try (S3ObjectStore store = lean(config, recording, (op, status, nanos) -> calls.add(op + " " + status))) {
                assertThat(store.put("small", small, 1000).acknowledged()).isTrue();
                assertThat(slow[0].puts.get()).isEqualTo(3);
                slow[0].puts.set(0);
                assertThat(store.put("streamed", streamed, SinglePartUpload.IN_MEMORY_LIMIT + 10).acknowledged())
                        .isTrue();
                assertThat(slow[0].puts.get()).as("two refused, then stored").isEqualTo(3);
            }
            assertThat(calls).as("one call each, retries inside").containsExactly("PutObject 200", "PutObject 200");
            assertThat(recording[0].sent).hasSizeGreaterThanOrEqualTo(6);
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(KEY, "AES256");
            for (Path p : List.of(small, streamed)) {
                byte[] stored = server.adminClient().getObjectAsBytes(b -> b.bucket("lean-b").key(p.getFileName().toString())
                        .sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64())
                        .sseCustomerKeyMD5(key.keyMd5Base64())).asByteArray();
                assertThat(stored).isEqualTo(Files.readAllBytes(p));
            }
        }
    }

    @Test
    void givesUpAfterMaxAttemptsAsAnOutage() throws IOException {
        Path small = file("small", 1000);
        try (S3ProxyServer server = S3ProxyServer.builder().middleware(s -> new SlowDown(s, 1000)).start()) {
            server.createBucket("lean-b");
            S3Config config = S3ConfigBuilder.from(S3TestConfigs.forServer(server, "lean-b", "", Optional.of(KEY)))
                    .maxAttempts(2).build();
            Recording[] recording = new Recording[1];
            try (S3ObjectStore store = lean(config, recording, S3RequestObserver.NONE)) {
                ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                        () -> store.put("small", small, 1000));

                assertThat(e.status()).isEqualTo(503);
                assertThat(e.errorCode()).isEqualTo("SlowDown");
                assertThat(e.looksLikeOutage()).isTrue();
                assertThat(e.getMessage()).isEqualTo("PutObject s3://lean-b/small failed: HTTP 503, S3 error code SlowDown");
                assertNoSecret(e, config);
            }
            assertThat(recording[0].sent).hasSize(2);
        }
    }

    @Test
    void aStalledServerTimesOutAsNoResponse() throws IOException {
        Path small = file("small", 1000);
        try (S3ProxyServer server = S3ProxyServer.start(); ToxicProxy toxic = new ToxicProxy(server.securePort())) {
            server.createBucket("lean-b");
            S3Config config = S3ConfigBuilder.from(S3TestConfigs.forEndpoint(server, toxic.httpsEndpoint(), "lean-b", "",
                    Optional.of(KEY))).maxAttempts(2).requestTimeout(Duration.ofSeconds(1)).build();
            Recording[] recording = new Recording[1];
            try (S3ObjectStore store = lean(config, recording, S3RequestObserver.NONE)) {
                toxic.freeze();

                ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                        () -> store.put("small", small, 1000));

                assertThat(e.status()).isZero();
                assertThat(e.looksLikeOutage()).isTrue();
                assertThat(e.getMessage()).startsWith("PutObject s3://lean-b/small failed: no response (");
                assertNoSecret(e, config);
                assertThat(recording[0].sent).as("retried once").hasSize(2);

                toxic.forward();
                assertThat(store.put("small", small, 1000).acknowledged()).isTrue();
            }
        }
    }

    @Test
    void refusalsNameStatusAndCodeAndNoSecret() throws IOException {
        Path small = file("small", 1000);
        try (S3ProxyServer server = S3ProxyServer.start()) {
            server.createBucket("lean-b");
            S3Config good = S3TestConfigs.forServer(server, "lean-b", "", Optional.of(KEY));
            S3Config wrongSecret = S3ConfigBuilder.from(good).secretAccessKey(Optional.of(new Secret("wrong-secret")))
                    .maxAttempts(1).build();
            S3Config noBucket = S3ConfigBuilder.from(good).bucket("no-such-bucket").build();
            try (S3ObjectStore denied = S3ObjectStore.create(wrongSecret, S3RequestObserver.NONE);
                    S3ObjectStore missing = S3ObjectStore.create(noBucket, S3RequestObserver.NONE)) {
                ObjectStoreException e403 = catchThrowableOfType(ObjectStoreException.class,
                        () -> denied.put("small", small, 1000));
                ObjectStoreException e404 = catchThrowableOfType(ObjectStoreException.class,
                        () -> missing.put("small", small, 1000));

                assertThat(e403.status()).isEqualTo(403);
                assertThat(e403.errorCode()).isEqualTo("SignatureDoesNotMatch");
                assertThat(e403.looksLikeOutage()).isFalse();
                assertNoSecret(e403, wrongSecret);
                assertThat(e404.status()).isEqualTo(404);
                assertThat(e404.errorCode()).isEqualTo("NoSuchBucket");
                assertNoSecret(e404, noBucket);
            }
        }
    }

    /** Neither the message nor any cause's names the secret key, the SSE-C key or its MD5. */
    static void assertNoSecret(Throwable e, S3Config config) {
        SseCustomerKey key = config.sseCustomerKey().orElseThrow();
        String secret = config.secretAccessKey().map(Secret::value).orElseThrow();
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret, key.keyBase64(), key.keyMd5Base64(), KEY);
            assertThat(t.toString()).doesNotContain(secret, key.keyBase64(), key.keyMd5Base64(), KEY);
        }
    }

    /**
     * A host whose clock is an hour behind: S3Proxy refuses the first PUT as RequestTimeTooSkewed (it allows 15
     * minutes, as AWS does); LeanPut takes the offset from the answer's Date header, as the client does, and signs
     * the retry and every later PUT at the server's time: one refused attempt in all.
     */
    @Test
    void correctsItsClockAfterRequestTimeTooSkewedAsTheClientDoes() {
        try (S3ProxyServer server = S3ProxyServer.start()) {
            server.createBucket("lean-b");
            S3Config config = S3TestConfigs.forServer(server, "lean-b", "", Optional.of(KEY));
            Recording[] recording = new Recording[1];
            java.time.Clock behind = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-1));
            try (S3Connection connection = S3ClientFactory.connect(config, http -> recording[0] = new Recording(http));
                    LeanPut lean = new LeanPut(connection, config, behind)) {
                for (String key : List.of("skewed-1", "skewed-2")) {
                    byte[] body = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    PutObjectResponse r = lean.putObject(new SseC(config.sseCustomerKey()).apply(PutObjectRequest
                            .builder().bucket("lean-b").key(key).contentLength((long) body.length)
                            .contentMD5(Md5.base64(Md5.of(body, body.length)))).build(), RequestBody.fromBytes(body));
                    assertThat(r.sdkHttpResponse().statusCode()).isEqualTo(200);
                }
            }
            assertThat(recording[0].sent).as("one refused attempt, then both PUTs").hasSize(3);
            java.time.Instant now = java.time.Instant.now();
            List<java.time.Instant> signedAt = recording[0].sent.stream().map(r -> java.time.Instant.from(
                    java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX")
                            .parse(r.firstMatchingHeader("x-amz-date").orElseThrow()))).toList();
            assertThat(Duration.between(signedAt.get(0), now)).isGreaterThan(Duration.ofMinutes(50));
            assertThat(signedAt.subList(1, 3)).allSatisfy(t -> assertThat(Duration.between(t, now).abs())
                    .as("signed at the server's time").isLessThan(Duration.ofMinutes(5)));
            assertThat(server.adminClient().listObjectsV2(b -> b.bucket("lean-b")).contents())
                    .extracting(o -> o.key()).containsExactly("skewed-1", "skewed-2");
        }
    }

    /** The response the store saw: what the pipeline reads from it (ETag, echo) comes from the headers. */
    @Test
    void answerCarriesETagAndEcho() {
        try (S3ProxyServer server = S3ProxyServer.start()) {
            server.createBucket("lean-b");
            S3Config config = S3TestConfigs.forServer(server, "lean-b", "", Optional.of(KEY));
            try (S3Connection connection = S3ClientFactory.connect(config);
                    LeanPut lean = new LeanPut(connection, config)) {
                byte[] body = new byte[10];
                PutObjectResponse r = lean.putObject(new SseC(config.sseCustomerKey()).apply(PutObjectRequest.builder()
                        .bucket("lean-b").key("e").contentLength(10L).contentMD5(Md5.base64(Md5.of(body, 10)))).build(),
                        RequestBody.fromBytes(body));

                assertThat(r.eTag()).isEqualTo("\"" + Md5.hex(Md5.of(body, 10)) + "\"");
                assertThat(r.sseCustomerKeyMD5()).isEqualTo(config.sseCustomerKey().orElseThrow().keyMd5Base64());
                assertThat(r.sdkHttpResponse().statusCode()).isEqualTo(200);
            }
        }
    }
}

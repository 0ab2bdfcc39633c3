package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.mediaoffload.config.S3Config;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.ClockSkew;
import software.amazon.awssdk.core.retry.RetryUtils;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A single-part PutObject without the SDK's request pipeline: the same headers as {@code S3Client.putObject} sends
 * for our requests (Content-Length, Content-MD5, Content-Type, storage class, SSE-C, {@code x-amz-checksum-sha256}
 * when given), signed by the SDK's SigV4 signer with credentials from the client's own provider, executed on the
 * connection's HTTP client for PUTs ({@link SocketHttpClient}, or the client's own pool behind a proxy). The pipeline (interceptors, marshalling, endpoint rules, metrics) cost about a third
 * of a small PUT's client CPU, and its code volume much of a first run's JIT work (docs/benchmarks.md, "Lean PUT
 * path").
 *
 * <p>It fails as the client does, so {@link S3Calls} reports both alike: {@link S3Exception} with the status and
 * the XML error code, {@link SdkClientException} around the I/O error when no answer came,
 * {@link ApiCallAttemptTimeoutException} when an attempt outlived its timeout, {@link AbortedException} when the
 * thread was interrupted. Retries are the client's: its {@link RetryStrategy} (standard: throttling, 5xx, I/O
 * errors; exponential backoff with jitter; the shared retry quota) decides on each of these exceptions. Every attempt
 * asks the body for a new stream, so a retry re-reads the bytes in memory or reopens the file (identity checked).
 *
 * <p>Clock skew is corrected as the client corrects it: after an answer that shows our clock off the server's
 * (RequestTimeTooSkewed, RequestExpired, or a possible-skew 403 with the server's Date more than 4 minutes away),
 * the offset between our clock and the server's Date header is kept and every later signature (the retry of that
 * PUT, and every PUT after it, on any thread) is made at the server's time. The client keeps its own offset for its
 * own requests (the SDK does not expose it), so each path pays at most one refused attempt to learn it.
 */
final class LeanPut implements AutoCloseable {
    private static final String SSE_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm";
    private static final String SSE_KEY = "x-amz-server-side-encryption-customer-key";
    private static final String SSE_KEY_MD5 = "x-amz-server-side-encryption-customer-key-MD5";
    /** An error answer larger than this is not S3's XML; its code is not looked for beyond it. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final RetryStrategy retries;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String region;
    private final String bucket;
    private final URI base;
    private final Duration defaultTimeout;
    /** Aborts attempts that outlive their timeout, as the client's own attempt-timeout thread does. */
    private final ScheduledExecutorService timer;
    private final Clock clock;
    /** The attempts on the wire now, for {@link #abortInFlight}. */
    private final Set<ExecutableHttpRequest> inFlight = ConcurrentHashMap.newKeySet();
    /** Seconds our clock is ahead of the server's, as last measured after a skew error (the SDK's time offset). */
    private volatile int timeOffsetSeconds;

    LeanPut(S3Connection connection, S3Config config) {
        this(connection, config, Clock.systemUTC());
    }

    /** With the clock signatures are made with (tests: a host whose clock is wrong). */
    LeanPut(S3Connection connection, S3Config config, Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.http = connection.putHttp();
        this.credentials = connection.credentials();
        this.retries = connection.retries();
        this.region = requireNonNull(config.region(), "region is null");
        this.bucket = requireNonNull(config.bucket(), "bucket is null");
        this.base = bucketUrl(connection, bucket);
        this.defaultTimeout = requireNonNull(config.requestTimeout(), "requestTimeout is null");
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "s3-put-attempt-timeout");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    /**
     * The bucket's URL as the client resolves it (endpoint override, path or virtual-host style, the region's AWS
     * endpoint), ending where a key's encoded path starts, so that both address the bucket alike.
     */
    private static URI bucketUrl(S3Connection connection, String bucket) {
        URL one = connection.client().utilities().getUrl(b -> b.bucket(bucket).key("k"));
        String url = one.toString();
        if (!url.endsWith("/k") || one.getQuery() != null) {
            throw new IllegalStateException("unexpected object URL for bucket " + bucket + ": " + url);
        }
        return URI.create(url.substring(0, url.length() - 1));
    }

    /**
     * Sends {@code request} (its bucket must be this one's) with {@code body}, retrying as the client would.
     *
     * @throws SdkException as {@code S3Client.putObject} does
     */
    PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        if (!bucket.equals(request.bucket())) {
            throw new IllegalArgumentException("bucket " + request.bucket() + " is not " + bucket);
        }
        SdkHttpFullRequest unsigned = httpRequest(request, body);
        Duration timeout = request.overrideConfiguration().flatMap(o -> o.apiCallAttemptTimeout())
                .orElse(defaultTimeout);
        RetryToken token = retries.acquireInitialToken(AcquireInitialTokenRequest.create("PutObject")).token();
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw AbortedException.create("Thread was interrupted");
            }
            try {
                PutObjectResponse response = attempt(unsigned, body.contentStreamProvider(), timeout);
                retries.recordSuccess(RecordSuccessRequest.create(token));
                return response;
            } catch (SdkException failure) {
                adjustClockIfSkewed(failure);
                Duration delay;
                try {
                    var next = retries.refreshRetryToken(
                            RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
                    token = next.token();
                    delay = next.delay();
                } catch (TokenAcquisitionFailedException notRetried) {
                    throw failure;
                }
                backOff(delay);
            }
        }
    }

    /** As the client's RetryableStageHelper.adjustClockIfClockSkew: the offset from the server's Date header. */
    private void adjustClockIfSkewed(SdkException failure) {
        if (!(failure instanceof S3Exception s3) || !RetryUtils.isClockSkewException(failure)
                || s3.awsErrorDetails() == null || s3.awsErrorDetails().sdkHttpResponse() == null) {
            return;
        }
        Optional<Instant> serverTime = ClockSkew.getServerTime(s3.awsErrorDetails().sdkHttpResponse());
        if (serverTime.isPresent()) {
            long seconds = ClockSkew.getClockSkew(clock.instant(), serverTime.get()).getSeconds();
            if (seconds == (int) seconds) {
                timeOffsetSeconds = (int) seconds;
            }
        }
    }

    /** Our clock moved to the server's by the measured offset, as the client's signing clock is. */
    private Clock signingClock(int offsetSeconds) {
        return offsetSeconds == 0 ? clock : Clock.offset(clock, Duration.ofSeconds(-offsetSeconds));
    }

    private SdkHttpFullRequest httpRequest(PutObjectRequest request, RequestBody body) {
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.PUT)
                .protocol(base.getScheme())
                .host(base.getHost())
                .port(base.getPort())
                // The client encodes a key as a greedy path label: every byte but unreserved ones and '/'.
                .encodedPath(base.getRawPath() + SdkHttpUtils.urlEncodeIgnoreSlashes(request.key()))
                .putHeader("Content-Length", Long.toString(body.optionalContentLength()
                        .orElseThrow(() -> new IllegalArgumentException("body without a length"))))
                .putHeader("Content-Type", body.contentType());
        optional(b, "Content-MD5", request.contentMD5());
        optional(b, "x-amz-storage-class", request.storageClassAsString());
        optional(b, SSE_ALGORITHM, request.sseCustomerAlgorithm());
        optional(b, SSE_KEY, request.sseCustomerKey());
        optional(b, SSE_KEY_MD5, request.sseCustomerKeyMD5());
        optional(b, "x-amz-checksum-sha256", request.checksumSHA256());
        return b.build();
    }

    private static void optional(SdkHttpFullRequest.Builder b, String header, String value) {
        if (value != null) {
            b.putHeader(header, value);
        }
    }

    private PutObjectResponse attempt(SdkHttpFullRequest unsigned, ContentStreamProvider payload, Duration timeout) {
        int offset = timeOffsetSeconds;
        SignedRequest signed = signer.sign(r -> r
                .identity(credentials.resolveCredentials())
                .putProperty(HttpSigner.SIGNING_CLOCK, signingClock(offset))
                .request(unsigned)
                .payload(payload)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                // S3 signs the path as sent: no second encoding, no dot-segment removal.
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                // As the client signs PutObject: UNSIGNED-PAYLOAD over HTTPS (TLS and Content-MD5 protect the
                // body, and an unsigned body is not chunked); over plain HTTP the signer signs the body in aws-chunked
                // chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) as it streams, so a file is read once, not hashed first.
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true));
        ExecutableHttpRequest call = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(payload))
                .build());
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            timedOut.set(true);
            call.abort();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        inFlight.add(call);
        try {
            // Registered first, checked second: abortInFlight (which interrupts first) either sees this call or
            // this thread sees its interrupt, so no attempt of an interrupted thread slips past an abort.
            if (Thread.currentThread().isInterrupted()) {
                throw AbortedException.create("Thread was interrupted");
            }
            HttpExecuteResponse response = call.call();
            return answer(response, offset);
        } catch (IOException | UncheckedIOException e) {
            if (timedOut.get()) {
                throw ApiCallAttemptTimeoutException.create(timeout.toMillis());
            }
            if (Thread.currentThread().isInterrupted()) {
                throw AbortedException.create("Thread was interrupted", e);
            }
            throw SdkClientException.builder().message("no response").cause(e).build();
        } finally {
            inFlight.remove(call);
            deadline.cancel(false);
        }
    }

    /**
     * Aborts every attempt on the wire now (their connections are closed, so a call blocked reading the answer
     * returns at once). Called after the transfer threads were interrupted: their aborted attempts end as
     * {@link AbortedException}, and the retry loop, which checks the interrupt before each attempt and sleeps
     * interruptibly, starts no further attempt.
     */
    void abortInFlight() {
        for (ExecutableHttpRequest call : inFlight) {
            call.abort();
        }
    }

    /** @param offset the time offset the request was signed with (the client's exceptions carry it as clockSkew) */
    private static PutObjectResponse answer(HttpExecuteResponse response, int offset) throws IOException {
        SdkHttpResponse http = response.httpResponse();
        byte[] body;
        try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
            // Read to the end (a PUT's 2xx has no body) so the connection goes back to the pool.
            body = in.readNBytes(MAX_ERROR_BODY);
        }
        if (http.isSuccessful()) {
            return (PutObjectResponse) PutObjectResponse.builder()
                    .eTag(http.firstMatchingHeader("ETag").orElse(null))
                    .sseCustomerKeyMD5(http.firstMatchingHeader(SSE_KEY_MD5).orElse(null))
                    .sseCustomerAlgorithm(http.firstMatchingHeader(SSE_ALGORITHM).orElse(null))
                    .sdkHttpResponse(http)
                    .build();
        }
        String xml = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        String code = element(xml, "Code").orElse(null);
        throw S3Exception.builder()
                .statusCode(http.statusCode())
                .requestId(http.firstMatchingHeader("x-amz-request-id").orElse(null))
                .message(code == null ? "HTTP " + http.statusCode() : code)
                .clockSkew(Duration.ofSeconds(offset))
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(element(xml, "Message").orElse(null))
                        .serviceName("S3")
                        .sdkHttpResponse(http)
                        .build())
                .build();
    }

    /** The text of the first {@code <name>} element of S3's error document (codes and messages have no markup). */
    static Optional<String> element(String xml, String name) {
        int start = xml.indexOf("<" + name + ">");
        if (start < 0) {
            return Optional.empty();
        }
        int from = start + name.length() + 2;
        int end = xml.indexOf("</" + name + ">", from);
        return end < 0 ? Optional.empty() : Optional.of(xml.substring(from, end).trim());
    }

    private static void backOff(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.create("Thread was interrupted", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

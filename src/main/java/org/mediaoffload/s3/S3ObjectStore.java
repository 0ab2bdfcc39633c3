package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.ObjectStoreException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket through AWS SDK v2. Every request carries our SSE-C key when one is configured; uploads carry
 * Content-MD5 and our storage class; the SDK retries throttling and 5xx (see {@link S3ClientFactory}).
 * Owns the client: {@link #close()} closes it.
 *
 * <p>Failures are {@link ObjectStoreException}s: the HTTP status (0 = no response), or {@value
 * UploadSource#LOCAL_STATUS} with code {@link #LOCAL_FILE_CHANGED} / {@link #LOCAL_READ_FAILED} when the local
 * file, not the store, is the problem (nothing was left in the bucket), or code {@link #CANCELLED} when the
 * calling thread was interrupted.
 */
public final class S3ObjectStore implements ObjectStore {
    /** The local file's size differed from the size passed to {@link #put}. */
    public static final String LOCAL_FILE_CHANGED = "LocalFileChanged";
    /** The local file could not be read. */
    public static final String LOCAL_READ_FAILED = "LocalReadFailed";
    /** The calling thread was interrupted; a multipart upload was aborted. */
    public static final String CANCELLED = "Cancelled";

    /** A HEAD with our key answered 2xx without echoing the key: the object is stored without SSE-C. */
    public static final String NOT_ENCRYPTED_WITH_OUR_KEY = "NotEncryptedWithOurKey";

    /** Above 2 GiB a single PUT that fails restarts from zero: such files go multipart whatever the threshold. */
    private static final long MAX_SINGLE_PART = Integer.MAX_VALUE - 8;

    private final S3Client client;
    private final S3Config config;
    private final SseC sse;
    private final S3Calls calls;
    private final SinglePartUpload singlePart;
    private final MultipartUpload multipart;

    public S3ObjectStore(S3Client client, S3Config config, S3RequestObserver observer) {
        this.client = requireNonNull(client, "client is null");
        this.config = requireNonNull(config, "config is null");
        requireNonNull(observer, "observer is null");
        this.sse = new SseC(config.sseCustomerKey());
        this.calls = new S3Calls(config.bucket(), observer);
        // One limiter for the whole store, so the cap holds across all concurrent uploads.
        Optional<BandwidthLimiter> limiter = config.bandwidthLimit() > 0
                ? Optional.of(new BandwidthLimiter(config.bandwidthLimit()))
                : Optional.empty();
        UploadBody body = new UploadBody(limiter, config.requestTimeout(), config.concurrency());
        this.singlePart = new SinglePartUpload(client, config, sse, body, calls);
        this.multipart = new MultipartUpload(client, config, sse, body, calls);
    }

    /** A store with its own client from {@link S3ClientFactory#create}; {@link #close()} closes both. */
    public static S3ObjectStore create(S3Config config, S3RequestObserver observer) {
        return new S3ObjectStore(S3ClientFactory.create(config), config, observer);
    }

    @Override
    public List<ListedObject> list(String keyPrefix) {
        requireNonNull(keyPrefix, "keyPrefix is null");
        List<ListedObject> objects = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(config.bucket())
                    .prefix(keyPrefix)
                    .continuationToken(token)
                    .build();
            ListObjectsV2Response page = calls.call("ListObjectsV2", keyPrefix + "*", () -> client.listObjectsV2(request));
            for (S3Object object : page.contents()) {
                objects.add(new ListedObject(object.key(), object.size()));
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return objects;
    }

    @Override
    public ListPage listPage(String keyPrefix, String startAfter, int maxKeys) {
        requireNonNull(keyPrefix, "keyPrefix is null");
        requireNonNull(startAfter, "startAfter is null");
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(config.bucket())
                .prefix(keyPrefix)
                .startAfter(startAfter)
                .maxKeys(maxKeys)
                .build();
        ListObjectsV2Response page = calls.call("ListObjectsV2", keyPrefix + "*", () -> client.listObjectsV2(request));
        List<ListedObject> objects = new ArrayList<>(page.contents().size());
        for (S3Object object : page.contents()) {
            objects.add(new ListedObject(object.key(), object.size()));
        }
        return new ListPage(objects, Boolean.TRUE.equals(page.isTruncated()));
    }

    @Override
    public HeadResult head(String key) {
        requireNonNull(key, "key is null");
        try {
            HeadObjectResponse response = calls.call("HeadObject", key,
                    () -> client.headObject(sse.apply(HeadObjectRequest.builder().bucket(config.bucket()).key(key)).build()));
            if (!sse.echoed(response.sseCustomerKeyMD5())) {
                // Ceph RGW ignores SSE-C headers on an object stored without SSE-C and answers 200 where AWS and
                // S3Proxy answer 400: without the echo of our key, the object is not encrypted with it.
                return new HeadResult.Unreadable(response.sdkHttpResponse().statusCode(), NOT_ENCRYPTED_WITH_OUR_KEY);
            }
            return new HeadResult.Present(response.contentLength());
        } catch (ObjectStoreException e) {
            switch (e.status()) {
                case 404:
                    return new HeadResult.Absent();
                case 403:
                    return new HeadResult.Unknown(403);
                case 400:
                    // SSE-C mismatch: written without SSE-C, with another key, or our key sent to a plain object.
                    return new HeadResult.Unreadable(400, e.errorCode().isEmpty() ? "BadRequest" : e.errorCode());
                default:
                    throw e;
            }
        }
    }

    @Override
    public PutReceipt put(String key, Path source, long size) {
        requireNonNull(key, "key is null");
        requireNonNull(source, "source is null");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        try {
            // Empty files always go in one PUT: a multipart upload needs at least one part.
            if (size > 0 && (size >= config.multipartThreshold() || size > MAX_SINGLE_PART)) {
                return multipart.put(key, source, size);
            }
            return singlePart.put(key, source, size);
        } catch (ObjectStoreException e) {
            throw UploadRefusal.explain(e, config);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}

package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.SynapseHash;
import org.mediaoffload.pipeline.UploadFile;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
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
    /** The store's paged listing handed back a continuation token it had given before (its pages repeat). */
    public static final String REPEATED_TOKEN = "RepeatedContinuationToken";

    /** A HEAD with our key answered 2xx without echoing the key: the object is stored without SSE-C. */
    public static final String NOT_ENCRYPTED_WITH_OUR_KEY = "NotEncryptedWithOurKey";

    /** Above 2 GiB a single PUT that fails restarts from zero: such files go multipart whatever the threshold. */
    private static final long MAX_SINGLE_PART = Integer.MAX_VALUE - 8;

    private final S3Client client;
    /** Null when PutObject goes through the client. */
    private final LeanPut lean;
    private final Runnable closer;
    private final S3Config config;
    private final SseC sse;
    private final S3Calls calls;
    private final SinglePartUpload singlePart;
    private final MultipartUpload multipart;
    private final BucketPreflight preflight;

    /**
     * A store on the connection's client whose single-part PutObjects go the lean way ({@link LeanPut}) on the same
     * pool, credentials and retry strategy. {@link #close()} closes the connection.
     */
    public S3ObjectStore(S3Connection connection, S3Config config, S3RequestObserver observer) {
        this(connection.client(), new LeanPut(connection, config), connection::close, config, observer);
    }

    /** A store whose every request goes through {@code client}, PutObject too. {@link #close()} closes it. */
    public S3ObjectStore(S3Client client, S3Config config, S3RequestObserver observer) {
        this(client, null, client::close, config, observer);
    }

    private S3ObjectStore(S3Client client, LeanPut lean, Runnable closer, S3Config config,
            S3RequestObserver observer) {
        this.client = requireNonNull(client, "client is null");
        this.lean = lean;
        this.closer = closer;
        this.config = requireNonNull(config, "config is null");
        requireNonNull(observer, "observer is null");
        this.sse = new SseC(config.sseCustomerKey());
        this.calls = new S3Calls(config.bucket(), observer);
        // One limiter for the whole store, so the cap holds across all concurrent uploads.
        Optional<BandwidthLimiter> limiter = config.bandwidthLimit() > 0
                ? Optional.of(new BandwidthLimiter(config.bandwidthLimit()))
                : Optional.empty();
        UploadBody body = new UploadBody(limiter, config.requestTimeout(), config.concurrency());
        this.singlePart = new SinglePartUpload(lean == null ? client::putObject : lean::putObject, config, sse, body,
                calls);
        this.multipart = new MultipartUpload(client, config, sse, body, calls);
        this.preflight = new BucketPreflight(client, config, calls);
    }

    /** A store with its own connection from {@link S3ClientFactory#connect}; {@link #close()} closes both. */
    public static S3ObjectStore create(S3Config config, S3RequestObserver observer) {
        return new S3ObjectStore(S3ClientFactory.connect(config), config, observer);
    }

    @Override
    public List<ListedObject> list(String keyPrefix) {
        requireNonNull(keyPrefix, "keyPrefix is null");
        List<ListedObject> objects = new ArrayList<>();
        // A store that answers a token it no longer knows with its first page again (or a proxy that drops the
        // token) hands back a token it gave before: following it would list forever.
        Set<String> tokens = new HashSet<>();
        String token = null;
        do {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(config.bucket())
                    .prefix(keyPrefix)
                    .continuationToken(token)
                    .build();
            ListObjectsV2Response page = calls.call("ListObjectsV2", keyPrefix + "*", () -> client.listObjectsV2(request));
            for (S3Object object : page.contents()) {
                objects.add(listed(object));
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            if (token != null && !tokens.add(token)) {
                throw new ObjectStoreException("the listing of " + keyPrefix + "* answered a continuation token it"
                        + " had already given (after " + objects.size() + " keys): its pages repeat, so it cannot say"
                        + " which keys exist", 200, REPEATED_TOKEN, null);
            }
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
            objects.add(listed(object));
        }
        return new ListPage(objects, Boolean.TRUE.equals(page.isTruncated()));
    }

    @Override
    public HeadResult head(String key, boolean checksums) {
        requireNonNull(key, "key is null");
        try {
            HeadObjectRequest.Builder request = sse.apply(HeadObjectRequest.builder().bucket(config.bucket()).key(key));
            if (checksums) {
                request.checksumMode(ChecksumMode.ENABLED);
            }
            HeadObjectResponse response = calls.call("HeadObject", key, () -> client.headObject(request.build()));
            if (!sse.echoed(response.sseCustomerKeyMD5())) {
                // Ceph RGW ignores SSE-C headers on an object stored without SSE-C and answers 200 where AWS and
                // S3Proxy answer 400: without the echo of our key, the object is not encrypted with it.
                return new HeadResult.Unreadable(response.sdkHttpResponse().statusCode(), NOT_ENCRYPTED_WITH_OUR_KEY);
            }
            return new HeadResult.Present(response.contentLength(), unquoted(response.eTag()),
                    seconds(response.lastModified()), checksums ? fullObjectChecksum(response) : Optional.empty());
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
    public LocalDigest digest(UploadFile source, Optional<ChecksumAlgorithm> also) {
        requireNonNull(source, "source is null");
        return LocalDigests.of(source, also);
    }

    @Override
    public void checkBucket() {
        preflight.check();
    }

    @Override
    public PutReceipt put(String key, UploadFile source) {
        return put(key, source, false);
    }

    @Override
    public PutReceipt put(String key, UploadFile source, boolean sha256Header) {
        requireNonNull(key, "key is null");
        requireNonNull(source, "source is null");
        long size = source.size();
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        try {
            // Empty files always go in one PUT: a multipart upload needs at least one part.
            if (size > 0 && (size >= config.multipartThreshold() || size > MAX_SINGLE_PART)) {
                return multipart.put(key, source);
            }
            return singlePart.put(key, source, sha256Header);
        } catch (SynapseHash.Mismatch e) {
            throw e; // the local file's fault, already in words: no store-side cause to add
        } catch (ObjectStoreException e) {
            throw UploadRefusal.explain(e, config);
        }
    }

    /**
     * Uploads a file that is not part of a media store (benchmarks, tools): opened by its path, following links,
     * insisting only on its size. Media go through {@link #put(String, UploadFile)} with the store's opener.
     */
    public PutReceipt put(String key, Path source, long size) {
        requireNonNull(source, "source is null");
        return put(key, new PathUploadFile(source, size));
    }

    private static ListedObject listed(S3Object object) {
        return new ListedObject(object.key(), object.size(), unquoted(object.eTag()), seconds(object.lastModified()));
    }

    /**
     * The one FULL_OBJECT checksum of a HEAD answer, if any. A COMPOSITE checksum (of part checksums) or one
     * without a type says nothing about the whole object's bytes.
     */
    private static Optional<StoredChecksum> fullObjectChecksum(HeadObjectResponse r) {
        if (r.checksumType() != ChecksumType.FULL_OBJECT) {
            return Optional.empty();
        }
        if (r.checksumCRC64NVME() != null) {
            return Optional.of(new StoredChecksum(ChecksumAlgorithm.CRC64NVME, r.checksumCRC64NVME()));
        }
        if (r.checksumCRC32() != null) {
            return Optional.of(new StoredChecksum(ChecksumAlgorithm.CRC32, r.checksumCRC32()));
        }
        if (r.checksumCRC32C() != null) {
            return Optional.of(new StoredChecksum(ChecksumAlgorithm.CRC32C, r.checksumCRC32C()));
        }
        if (r.checksumSHA256() != null) {
            return Optional.of(new StoredChecksum(ChecksumAlgorithm.SHA256, r.checksumSHA256()));
        }
        return Optional.empty();
    }

    static Optional<String> unquoted(String eTag) {
        if (eTag == null || eTag.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag);
    }

    /** Listings carry milliseconds, HEAD answers whole seconds: compare at the coarser one. */
    private static Optional<Instant> seconds(Instant at) {
        return Optional.ofNullable(at).map(t -> t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The lean PUTs in flight are aborted; multipart parts (the client's requests) end within their timeouts. */
    @Override
    public void abortUploadsInFlight() {
        if (lean != null) {
            lean.abortInFlight();
        }
    }

    @Override
    public void close() {
        if (lean != null) {
            lean.close();
        }
        closer.run();
    }
}

package org.mediaoffload.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.LocalFileChangedException;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.S3KeyOrder;
import org.mediaoffload.pipeline.TargetUnusableException;
import org.mediaoffload.pipeline.UploadFile;
import org.mediaoffload.s3.Crc64Nvme;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;

/**
 * A bucket in memory behind the {@link ObjectStore} port, answering as {@code S3ObjectStore} reports S3Proxy 4.1.1
 * (the default) or Ceph RGW 16.2 ({@link Builder#like}); {@code ObjectStoreContractTest} runs the same assertions
 * against this and both real servers, so it cannot drift from them. For fast unit tests of the pipeline's decisions:
 * seed objects ({@link #seed}), fail calls ({@link #failNext}, {@link #failWhere}), block or observe them
 * ({@link #onRequest}, {@link #onResponse}) and count them per S3 operation ({@link #requests(String)}).
 *
 * <p>What it models: keys in S3's order (UTF-8 bytes); {@code ListObjectsV2} pages with prefix, start-after and
 * max-keys (at most 1,000 a page) and truncation, one request per page; SSE-C (each object keeps the MD5 of the key
 * it was written with: a HEAD with another key, or with none, is {@code Unreadable(400, "BadRequest")}; a plain object
 * HEADed with our key is {@code Unreadable(400)} on S3Proxy and {@code Unreadable(200, NotEncryptedWithOurKey)} on RGW,
 * which ignores the key); uploads as the real store sends them (one {@code PutObject}, or {@code
 * CreateMultipartUpload}, one {@code UploadPart} per part and {@code CompleteMultipartUpload} from the configured
 * threshold, aborted on failure); ETags (single part: the plaintext's MD5, as on both servers with SSE-C; multipart:
 * MD5 of the parts' MD5s with {@code -N}, which RGW leaves out of Complete's answer); times in whole seconds;
 * FULL_OBJECT checksums only where a seeded object has one (neither server keeps one for our uploads, which send
 * none); an interrupted caller gets {@code Cancelled}. Local files are read like the real store reads them (the size
 * insisted on, {@link UploadFile#checkUnchanged} after the read): failures are {@code LocalFileChanged} /
 * {@code LocalReadFailed} with status -1, sending nothing.
 *
 * <p>Other stores, on request: AWS's opaque SSE-C ETags ({@link Builder#opaqueSseCETags}) and the checksum it adds to
 * every upload ({@link Builder#addsChecksums}); S3Proxy's UTF-16 key order ({@link Builder#keyOrder}).
 *
 * <p>Where the real servers differ and the fake does not follow (pinned in ObjectStoreContractTest): S3Proxy lists
 * keys beyond the Basic Multilingual Plane in UTF-16 order, and answers 500 to a key that is also a "directory" of
 * another ({@code d/a} and {@code d/a/b}); the fake answers as S3 and RGW do. S3Proxy has no bucket policies, so
 * without s3:ListBucket ({@link #denyListing}) the fake imitating it answers as AWS does. Not modelled: storage classes, error
 * messages' wording (and UploadRefusal's advice on them), retries, latency, request timeouts, bandwidth limits,
 * objects above 2 GiB.
 *
 * <p>Thread-safe. Listings are weakly consistent, as a real server's are under concurrent writes.
 */
public final class InMemoryObjectStore implements ObjectStore {
    /** S3 operation names, as {@link S3RequestObserver} sees them from {@code S3ObjectStore}. */
    public static final String LIST = "ListObjectsV2";
    public static final String HEAD = "HeadObject";
    public static final String PUT = "PutObject";
    public static final String CREATE_MULTIPART = "CreateMultipartUpload";
    public static final String UPLOAD_PART = "UploadPart";
    public static final String COMPLETE_MULTIPART = "CompleteMultipartUpload";
    public static final String ABORT_MULTIPART = "AbortMultipartUpload";
    /** Only {@link #checkBucket} sends one, where listing is refused. */
    public static final String GET = "GetObject";
    private static final String PROBE_KEY = ".synapse-media-offload-probe/absent";

    /** S3's limit on keys per listing page. */
    public static final int MAX_KEYS = 1_000;
    private static final long MAX_PARTS = 10_000;
    /** S3ObjectStore sends larger files multipart whatever the threshold. */
    private static final long MAX_SINGLE_PART = Integer.MAX_VALUE - 8;

    /** Java's String order (UTF-16 code units): how S3Proxy 4.1.1 sorts and starts after (ObjectStoreContractTest). */
    public static final Comparator<String> UTF16_KEY_ORDER = Comparator.naturalOrder();

    private final S3Store.Kind like;
    private final Optional<SseCustomerKey> sseKey;
    private final Comparator<String> keyOrder;
    private final boolean opaqueSseCETags;
    private final int wrongKeyStatus;
    private final Optional<ChecksumAlgorithm> addedChecksum;
    private final long multipartThreshold;
    private final long multipartPartSize;
    private final Clock clock;
    private final S3RequestObserver observer;

    private final Bucket bucket;
    private final ConcurrentSkipListMap<String, StoredObject> objects;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    /** Not copy-on-write: a run's thousands of requests would copy it thousands of times. */
    private final List<Request> log = new ArrayList<>();
    private final InjectedFaults faults = new InjectedFaults();
    private final List<Consumer<Request>> beforeHooks = new CopyOnWriteArrayList<>();
    private final List<Consumer<Request>> afterHooks = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** What several stores (clients with different SSE-C keys) share: the objects, and whether the bucket exists. */
    private static final class Bucket {
        final ConcurrentSkipListMap<String, StoredObject> objects;
        volatile boolean exists = true;
        volatile boolean listingDenied;

        Bucket(Comparator<String> order) {
            objects = new ConcurrentSkipListMap<>(order);
        }
    }

    private InMemoryObjectStore(Builder b, Bucket bucket) {
        this.like = b.like;
        this.sseKey = b.sseKey;
        this.keyOrder = b.keyOrder;
        this.opaqueSseCETags = b.opaqueSseCETags;
        this.wrongKeyStatus = b.wrongKeyStatus;
        this.addedChecksum = b.addedChecksum;
        this.multipartThreshold = b.multipartThreshold;
        this.multipartPartSize = b.multipartPartSize;
        this.clock = b.clock;
        this.observer = b.observer;
        this.bucket = bucket;
        this.objects = bucket.objects;
    }

    /** S3Proxy's answers, no SSE-C, multipart from 64 MiB in 8 MiB parts (the shipped defaults), the system clock. */
    public InMemoryObjectStore() {
        this(builder(), new Bucket(S3KeyOrder.KEYS));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Another client of the same bucket, with another SSE-C key (the configured string; empty for none) and
     * otherwise the same settings: its own counts, faults and hooks, the same observer.
     */
    public InMemoryObjectStore withSseKey(Optional<String> configuredKey) {
        Builder b = builder().like(like).sseKey(configuredKey).multipart(multipartThreshold, multipartPartSize)
                .clock(clock).observer(observer).keyOrder(keyOrder);
        b.opaqueSseCETags = opaqueSseCETags;
        b.wrongKeyStatus = wrongKeyStatus;
        b.addedChecksum = addedChecksum;
        return new InMemoryObjectStore(b, bucket);
    }

    /** A store using {@code config}'s SSE-C key and multipart threshold and part size. */
    public static InMemoryObjectStore forConfig(S3Config config) {
        return builder().sseCustomerKey(config.sseCustomerKey())
                .multipart(config.multipartThreshold(), config.multipartPartSize()).build();
    }

    /** How the store is set up; every setting has a default. */
    public static final class Builder {
        private S3Store.Kind like = S3Store.Kind.S3PROXY;
        private Optional<SseCustomerKey> sseKey = Optional.empty();
        private long multipartThreshold = 64L << 20;
        private long multipartPartSize = 8L << 20;
        private Clock clock = Clock.systemUTC();
        private S3RequestObserver observer = S3RequestObserver.NONE;
        private Comparator<String> keyOrder = S3KeyOrder.KEYS;
        private boolean opaqueSseCETags;
        private int wrongKeyStatus = 400;
        private Optional<ChecksumAlgorithm> addedChecksum = Optional.empty();

        private Builder() {}

        /**
         * Lists keys in this order instead of S3's, e.g. {@link #UTF16_KEY_ORDER} as S3Proxy 4.1.1 lists keys beyond
         * the Basic Multilingual Plane (a store whose pages look unsorted to a client comparing as S3 does).
         */
        public Builder keyOrder(Comparator<String> value) {
            keyOrder = requireNonNull(value, "keyOrder is null");
            return this;
        }

        /** As AWS: an object written with SSE-C gets an ETag that is not its plaintext's MD5 (random hex here). */
        public Builder opaqueSseCETags() {
            opaqueSseCETags = true;
            return this;
        }

        /**
         * The status a HEAD with another SSE-C key than the object's answers: 400 on S3Proxy and RGW (unreadable);
         * 403 where a store answers a wrong key as forbidden (then S3ObjectStore reports "unknown", as for a missing
         * object without s3:ListBucket).
         */
        public Builder wrongKeyStatus(int status) {
            if (status != 400 && status != 403) {
                throw new IllegalArgumentException("a wrong SSE-C key is answered 400 or 403, not " + status);
            }
            wrongKeyStatus = status;
            return this;
        }

        /**
         * As AWS (CRC64NVME): every upload gets a FULL_OBJECT checksum of this algorithm, computed from the bytes
         * received and returned by HEAD in checksum mode. Neither S3Proxy nor RGW keeps one for our uploads.
         */
        public Builder addsChecksums(ChecksumAlgorithm algorithm) {
            addedChecksum = Optional.of(algorithm);
            return this;
        }

        /** Answer where the servers differ as this one does (S3Proxy by default). */
        public Builder like(S3Store.Kind value) {
            like = requireNonNull(value, "like is null");
            return this;
        }

        /** Our SSE-C key, as configured in {@code offload.s3.sse-customer-key} (32 UTF-8 bytes), AES256. */
        public Builder sseKey(Optional<String> configured) {
            return sseCustomerKey(configured.map(k -> SseCustomerKey.fromConfiguredString(k, "AES256")));
        }

        public Builder sseCustomerKey(Optional<SseCustomerKey> value) {
            sseKey = requireNonNull(value, "sseKey is null");
            return this;
        }

        /** Files of at least {@code threshold} bytes go multipart, in parts of {@code partSize}. */
        public Builder multipart(long threshold, long partSize) {
            if (partSize <= 0) {
                throw new IllegalArgumentException("partSize must be positive: " + partSize);
            }
            multipartThreshold = threshold;
            multipartPartSize = partSize;
            return this;
        }

        /** Last-Modified of uploads (whole seconds, as S3 keeps them). */
        public Builder clock(Clock value) {
            clock = requireNonNull(value, "clock is null");
            return this;
        }

        /** Told of every request, as S3ObjectStore tells its observer (e.g. a {@link RequestCounter}). */
        public Builder observer(S3RequestObserver value) {
            observer = requireNonNull(value, "observer is null");
            return this;
        }

        public InMemoryObjectStore build() {
            return new InMemoryObjectStore(this, new Bucket(keyOrder));
        }
    }

    /**
     * An object in the bucket.
     *
     * @param data         the plaintext
     * @param eTag         without quotes
     * @param lastModified in whole seconds
     * @param sseKeyMd5    base64 MD5 of the SSE-C key it was written with; empty for an object stored without SSE-C
     * @param checksum     a FULL_OBJECT checksum the store keeps for it
     */
    public record StoredObject(String key, byte[] data, String eTag, Instant lastModified, Optional<String> sseKeyMd5,
            Optional<StoredChecksum> checksum) {
        public StoredObject {
            requireNonNull(key, "key is null");
            data = data.clone();
            requireNonNull(eTag, "eTag is null");
            lastModified = lastModified.truncatedTo(ChronoUnit.SECONDS);
            requireNonNull(sseKeyMd5, "sseKeyMd5 is null");
            requireNonNull(checksum, "checksum is null");
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public long size() {
            return data.length;
        }

        /** Stored as an admin's tool would: without SSE-C. */
        public StoredObject plain() {
            return new StoredObject(key, data, eTag, lastModified, Optional.empty(), checksum);
        }

        /** Stored with another SSE-C key (the configured string, as in {@code sse-customer-key}). */
        public StoredObject encryptedWith(String configuredKey) {
            return new StoredObject(key, data, eTag, lastModified,
                    Optional.of(SseCustomerKey.fromConfiguredString(configuredKey, "AES256").keyMd5Base64()), checksum);
        }

        public StoredObject withETag(String value) {
            return new StoredObject(key, data, value, lastModified, sseKeyMd5, checksum);
        }

        public StoredObject withLastModified(Instant value) {
            return new StoredObject(key, data, eTag, value, sseKeyMd5, checksum);
        }

        /** With the FULL_OBJECT checksum of the data, as AWS keeps one. */
        public StoredObject withChecksum(ChecksumAlgorithm algorithm) {
            return withChecksum(new StoredChecksum(algorithm, checksumBase64(algorithm, data)));
        }

        /** With any checksum, true or not (a store that keeps claims). */
        public StoredObject withChecksum(StoredChecksum value) {
            return new StoredObject(key, data, eTag, lastModified, sseKeyMd5, Optional.of(value));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StoredObject other && key.equals(other.key) && Arrays.equals(data, other.data)
                    && eTag.equals(other.eTag) && lastModified.equals(other.lastModified)
                    && sseKeyMd5.equals(other.sseKeyMd5) && checksum.equals(other.checksum);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "StoredObject[" + key + ", " + data.length + " bytes, ETag " + eTag + ", " + lastModified
                    + (sseKeyMd5.isPresent() ? ", SSE-C" : ", plain") + checksum.map(c -> ", " + c).orElse("") + "]";
        }
    }

    /** One request as the store received it; {@code key} is the listing prefix + {@code *} for a listing. */
    public record Request(String operation, String key) {}

    // ---- seeding and inspection (no request counted) ----

    /**
     * {@code data} as one of our single-part uploads would leave it: our key, the plaintext's MD5 as ETag (unless
     * {@link Builder#opaqueSseCETags}), the checksum {@link Builder#addsChecksums} adds, now.
     */
    public StoredObject object(String key, byte[] data) {
        return uploaded(key, data, md5Hex(data));
    }

    /** An object as a single-part upload, or a multipart upload with {@code plainETag}, leaves it. */
    private StoredObject uploaded(String key, byte[] data, String plainETag) {
        String eTag = opaqueSseCETags && sseKey.isPresent()
                ? HexFormat.of().formatHex(md5().digest((plainETag + key + clock.instant()).getBytes(
                        StandardCharsets.UTF_8))) + plainETag.substring(32)
                : plainETag;
        return new StoredObject(key, data, eTag, clock.instant(), sseKey.map(SseCustomerKey::keyMd5Base64),
                addedChecksum.map(a -> new StoredChecksum(a, checksumBase64(a, data))));
    }

    /** Puts an object in the bucket directly, e.g. {@code seed(store.object(key, bytes).plain())}. */
    public StoredObject seed(StoredObject object) {
        objects.put(object.key(), object);
        return object;
    }

    /** Seeds {@code data} under {@code key} as our own upload would leave it. */
    public StoredObject seed(String key, byte[] data) {
        return seed(object(key, data));
    }

    public Optional<StoredObject> stored(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    /** The plaintext under {@code key}, if any. */
    public Optional<byte[]> bytes(String key) {
        return stored(key).map(StoredObject::data);
    }

    /** All keys, in S3's order. */
    public List<String> keys() {
        return List.copyOf(objects.keySet());
    }

    /** Removes an object (as an admin, or Synapse's provider, would), without a request. */
    public boolean remove(String key) {
        return objects.remove(key) != null;
    }

    /** From now on the bucket is gone: every request answers 404 NoSuchBucket, {@link #checkBucket} refuses it. */
    public void removeBucket() {
        bucket.exists = false;
    }

    /**
     * From now on the bucket's clients lack s3:ListBucket: listings answer 403 AccessDenied, {@link #checkBucket}
     * passes through its GET fallback, as BucketPreflight's; a HEAD of a missing key answers 403 (unknown) as on AWS,
     * or still 404 (absent) like RGW 16.2 under a bucket policy denying ListBucket (ObjectStoreContractTest).
     */
    public void denyListing() {
        bucket.listingDenied = true;
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- requests and faults ----

    /** Requests sent so far of one S3 operation (e.g. {@link #PUT}), failed ones included. */
    public long requests(String operation) {
        AtomicLong n = counts.get(operation);
        return n == null ? 0 : n.get();
    }

    public long totalRequests() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Every request so far, in the order they were received. */
    public List<Request> requestLog() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public void resetRequests() {
        counts.clear();
        synchronized (log) {
            log.clear();
        }
    }

    /**
     * The next {@code times} calls of {@code operation} answer {@code status} (0 = no response) with S3's usual
     * error code for it (none for HEAD, whose answers carry no body).
     */
    public void failNext(String operation, int times, int status) {
        failNext(operation, times, status, InjectedFaults.defaultCode(operation, status));
    }

    public void failNext(String operation, int times, int status, String errorCode) {
        if (times <= 0) {
            throw new IllegalArgumentException("times must be positive: " + times);
        }
        faults.add(operation, k -> true, status, errorCode, times);
    }

    /** Every call of {@code operation} on a key {@code keys} accepts answers {@code status}, until {@link #clearFaults}. */
    public void failWhere(String operation, Predicate<String> keys, int status) {
        faults.add(operation, keys, status, InjectedFaults.defaultCode(operation, status), -1);
    }

    public void clearFaults() {
        faults.clear();
    }

    /**
     * Called on the calling thread as each request arrives, before it has any effect (a hook may block, e.g. on a
     * latch, to hold the request in flight, or throw an {@link ObjectStoreException} to fail it).
     */
    public void onRequest(Consumer<Request> hook) {
        beforeHooks.add(requireNonNull(hook, "hook is null"));
    }

    /** Called after a successful request had its effect, before the answer returns to the caller. */
    public void onResponse(Consumer<Request> hook) {
        afterHooks.add(requireNonNull(hook, "hook is null"));
    }

    // ---- the port ----

    @Override
    public List<ListedObject> list(String keyPrefix) {
        requireNonNull(keyPrefix, "keyPrefix is null");
        List<ListedObject> all = new ArrayList<>();
        String startAfter = "";
        ListPage page;
        do {
            page = listPage(keyPrefix, startAfter, MAX_KEYS);
            all.addAll(page.objects());
            if (!page.objects().isEmpty()) {
                startAfter = page.objects().get(page.objects().size() - 1).key();
            }
        } while (page.truncated());
        return all;
    }

    @Override
    public ListPage listPage(String keyPrefix, String startAfter, int maxKeys) {
        requireNonNull(keyPrefix, "keyPrefix is null");
        requireNonNull(startAfter, "startAfter is null");
        Request request = begin(LIST, keyPrefix + "*");
        if (maxKeys < 0) {
            throw answered(request, InjectedFaults.failure(LIST, request.key(), 400, "InvalidArgument"));
        }
        // Keys under a prefix are contiguous in key order and none sorts before the prefix itself.
        NavigableMap<String, StoredObject> from = keyOrder.compare(startAfter, keyPrefix) < 0
                ? objects.tailMap(keyPrefix, true)
                : objects.tailMap(startAfter, false);
        int limit = Math.min(maxKeys, MAX_KEYS);
        if (limit == 0) {
            // As S3Proxy and RGW answer max-keys=0: nothing, and not truncated (so no proof of absence either).
            return answered(request, 200, new ListPage(List.of(), false));
        }
        List<ListedObject> page = new ArrayList<>();
        boolean truncated = false;
        for (StoredObject object : from.values()) {
            if (!object.key().startsWith(keyPrefix)) {
                break;
            }
            if (page.size() == limit) {
                truncated = true;
                break;
            }
            page.add(new ListedObject(object.key(), object.size(), Optional.of(object.eTag()),
                    Optional.of(object.lastModified())));
        }
        return answered(request, 200, new ListPage(page, truncated));
    }

    @Override
    public HeadResult head(String key, boolean checksums) {
        requireNonNull(key, "key is null");
        Request request;
        try {
            request = begin(HEAD, key);
        } catch (ObjectStoreException e) {
            return headFailure(e);
        }
        StoredObject object = objects.get(key);
        if (object == null) {
            // Without s3:ListBucket, AWS does not tell a missing object from a forbidden one (RGW still does).
            return hidesMissingKeys()
                    ? answered(request, 403, new HeadResult.Unknown(403))
                    : answered(request, 404, new HeadResult.Absent());
        }
        Optional<String> ours = sseKey.map(SseCustomerKey::keyMd5Base64);
        if (object.sseKeyMd5().isPresent() && ours.isPresent() && !object.sseKeyMd5().equals(ours)
                && wrongKeyStatus == 403) {
            return answered(request, 403, new HeadResult.Unknown(403));
        }
        if (object.sseKeyMd5().isPresent() && !object.sseKeyMd5().equals(ours)) {
            // Written with another key, or we send none: both servers answer a bare 400.
            return answered(request, 400, new HeadResult.Unreadable(400, "BadRequest"));
        }
        if (object.sseKeyMd5().isEmpty() && ours.isPresent()) {
            return like == S3Store.Kind.RGW
                    // RGW ignores SSE-C headers for a plain object and answers 200 without echoing our key.
                    ? answered(request, 200, new HeadResult.Unreadable(200, S3ObjectStore.NOT_ENCRYPTED_WITH_OUR_KEY))
                    : answered(request, 400, new HeadResult.Unreadable(400, "BadRequest"));
        }
        return answered(request, 200, new HeadResult.Present(object.size(), Optional.of(object.eTag()),
                Optional.of(object.lastModified()), checksums ? object.checksum() : Optional.empty()));
    }

    /** As S3ObjectStore#head reads a failed HEAD. */
    private static HeadResult headFailure(ObjectStoreException e) {
        return switch (e.status()) {
            case 404 -> new HeadResult.Absent();
            case 403 -> new HeadResult.Unknown(403);
            case 400 -> new HeadResult.Unreadable(400, e.errorCode().isEmpty() ? "BadRequest" : e.errorCode());
            default -> throw e;
        };
    }

    @Override
    public LocalDigest digest(UploadFile source, Optional<ChecksumAlgorithm> also) {
        requireNonNull(source, "source is null");
        byte[] data = read(source);
        return new LocalDigest(md5Hex(data), also.map(a -> checksumBase64(a, data)));
    }

    @Override
    public void checkBucket() {
        try {
            answered(begin(LIST, "*"), 200, LIST);
        } catch (ObjectStoreException e) {
            if (accessDenied(e)) {
                checkWithoutListing();
            } else if (refusesEveryUpload(e)) {
                throw unusable(e);
            }
        }
    }

    /** As BucketPreflight without s3:ListBucket: a GET of a missing key answers 403 or 404 when the bucket is there. */
    private void checkWithoutListing() {
        try {
            Request request = begin(GET, PROBE_KEY);
            StoredObject probe = objects.get(PROBE_KEY);
            answered(request, probe != null ? 200 : hidesMissingKeys() ? 403 : 404, GET);
        } catch (ObjectStoreException e) {
            if (!accessDenied(e) && refusesEveryUpload(e)) {
                throw unusable(e);
            }
        }
    }

    private boolean hidesMissingKeys() {
        return bucket.listingDenied && like != S3Store.Kind.RGW;
    }

    private static boolean accessDenied(ObjectStoreException e) {
        return e.status() == 403 && e.errorCode().equals("AccessDenied");
    }

    /** As BucketPreflight: any 4xx but a throttle; 5xx and no answer are the run's outage rules' business. */
    private static boolean refusesEveryUpload(ObjectStoreException e) {
        return e.status() >= 400 && e.status() < 500 && e.status() != 429;
    }

    private static TargetUnusableException unusable(ObjectStoreException e) {
        return new TargetUnusableException("the bucket cannot be used, nothing was uploaded or deleted: "
                + e.getMessage(), e);
    }

    @Override
    public PutReceipt put(String key, UploadFile source) {
        requireNonNull(key, "key is null");
        byte[] data = read(requireNonNull(source, "source is null")); // refuses a negative size, as S3ObjectStore
        long size = data.length;
        if (size > 0 && (size >= multipartThreshold || size > MAX_SINGLE_PART)) {
            return putMultipart(key, data);
        }
        Request request = begin(PUT, key);
        StoredObject object = uploaded(key, data, md5Hex(data));
        objects.put(key, object);
        return answered(request, 200, new PutReceipt(key, size, md5Hex(data), true, true, Optional.of(object.eTag())));
    }

    private PutReceipt putMultipart(String key, byte[] data) {
        long partSize = Math.max(multipartPartSize, (data.length + MAX_PARTS - 1) / MAX_PARTS);
        answered(begin(CREATE_MULTIPART, key), 200, key);
        try {
            MessageDigest partMd5s = md5();
            int parts = 0;
            for (long offset = 0; offset < data.length; offset += partSize) {
                Request part = begin(UPLOAD_PART, key);
                int end = (int) Math.min(data.length, offset + partSize);
                partMd5s.update(md5().digest(Arrays.copyOfRange(data, (int) offset, end)));
                parts++;
                answered(part, 200, key);
            }
            Request complete = begin(COMPLETE_MULTIPART, key);
            StoredObject object = uploaded(key, data, HexFormat.of().formatHex(partMd5s.digest()) + "-" + parts);
            objects.put(key, object);
            // RGW answers Complete with an empty ETag.
            Optional<String> answeredETag = like == S3Store.Kind.RGW ? Optional.empty() : Optional.of(object.eTag());
            return answered(complete, 200, new PutReceipt(key, data.length, md5Hex(data), true, true, answeredETag));
        } catch (ObjectStoreException e) {
            // As MultipartUpload: no half-finished upload is left behind, whatever failed.
            boolean interrupted = Thread.interrupted();
            try {
                answered(begin(ABORT_MULTIPART, key), 204, key);
            } catch (ObjectStoreException abortFailed) {
                e.addSuppressed(abortFailed);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---- how every request goes ----

    /** Counts and logs a request, runs the hooks, and throws the answer planned for it, if any. */
    private Request begin(String operation, String key) {
        Request request = new Request(operation, key);
        counts.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
        synchronized (log) {
            log.add(request);
        }
        try {
            if (closed) {
                throw new IllegalStateException("the store is closed");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new ObjectStoreException(operation + " s3://in-memory/" + key + " cancelled (thread interrupted)",
                        0, S3ObjectStore.CANCELLED, null);
            }
            beforeHooks.forEach(h -> h.accept(request));
            Optional<ObjectStoreException> planned = faults.next(operation, key);
            if (planned.isPresent()) {
                throw planned.get();
            }
            if (!bucket.exists) {
                throw InjectedFaults.failure(operation, key, 404, operation.equals(HEAD) ? "" : "NoSuchBucket");
            }
            if (bucket.listingDenied && operation.equals(LIST)) {
                throw InjectedFaults.failure(operation, key, 403, "AccessDenied");
            }
        } catch (ObjectStoreException e) {
            observer.requestCompleted(operation, e.status(), 0);
            throw e;
        }
        return request;
    }

    private <T> T answered(Request request, int status, T answer) {
        observer.requestCompleted(request.operation(), status, 0);
        afterHooks.forEach(h -> h.accept(request));
        return answer;
    }

    private ObjectStoreException answered(Request request, ObjectStoreException failure) {
        observer.requestCompleted(request.operation(), failure.status(), 0);
        return failure;
    }

    /** Reads exactly the scanned size, as the real store's upload and digest reads do; nothing is sent on failure. */
    private static byte[] read(UploadFile source) {
        long size = source.size();
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (size > MAX_SINGLE_PART) {
            throw new IllegalArgumentException("the in-memory store holds objects up to 2 GiB: " + size);
        }
        byte[] data;
        try (InputStream in = source.open()) {
            data = in.readNBytes((int) size);
            if (data.length < size) {
                throw changed(source, "shorter than");
            }
            if (in.read() != -1) {
                throw changed(source, "longer than");
            }
            source.checkUnchanged();
        } catch (LocalFileChangedException e) {
            throw new ObjectStoreException(e.getMessage() + "; not uploaded", -1, S3ObjectStore.LOCAL_FILE_CHANGED, e);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read " + source.name() + " for upload: " + e, -1,
                    S3ObjectStore.LOCAL_READ_FAILED, e);
        }
        return data;
    }

    private static ObjectStoreException changed(UploadFile source, String how) {
        return new ObjectStoreException(source.name() + " is " + how + " the expected " + source.size()
                + " bytes (it changed while being read); not uploaded", -1, S3ObjectStore.LOCAL_FILE_CHANGED, null);
    }

    private static MessageDigest md5() {
        return digest("MD5");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java runtime", e);
        }
    }

    public static String md5Hex(byte[] data) {
        return HexFormat.of().formatHex(md5().digest(data));
    }

    /** As S3 sends a full-object checksum: base64 of the big-endian CRC (4 or 8 bytes) or of the SHA-256. */
    public static String checksumBase64(ChecksumAlgorithm algorithm, byte[] data) {
        return switch (algorithm) {
            case CRC64NVME -> crc(new Crc64Nvme(), 8, data);
            case CRC32 -> crc(new CRC32(), 4, data);
            case CRC32C -> crc(new CRC32C(), 4, data);
            case SHA256 -> Base64.getEncoder().encodeToString(digest("SHA-256").digest(data));
        };
    }

    private static String crc(Checksum checksum, int bytes, byte[] data) {
        checksum.update(data, 0, data.length);
        byte[] value = ByteBuffer.allocate(8).putLong(checksum.getValue()).array();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(value, 8 - bytes, 8));
    }
}

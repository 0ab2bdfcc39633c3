package org.mediaoffload.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The bucket, seen through our prefix-free keys (callers pass full keys, i.e. prefix + relative path).
 * Every request carries our SSE-C key when one is configured. Implementations retry throttling and 5xx
 * themselves and throw {@link ObjectStoreException} when they give up.
 */
public interface ObjectStore extends AutoCloseable {

    /** All objects whose key starts with {@code keyPrefix}, with their sizes (every page). */
    List<ListedObject> list(String keyPrefix);

    /**
     * One page of the keys under {@code keyPrefix} that sort after {@code startAfter} in S3's order ({@link S3KeyOrder#KEYS}), at
     * most {@code maxKeys} of them. Lets a run answer for many keys of a key range in one request.
     */
    ListPage listPage(String keyPrefix, String startAfter, int maxKeys);

    /** HEAD with our SSE-C key. */
    default HeadResult head(String key) {
        return head(key, false);
    }

    /**
     * HEAD with our SSE-C key; with {@code checksums}, also asks for the object's stored checksum (checksum mode),
     * which only a store whose probe showed it keeps real checksums is asked for.
     */
    HeadResult head(String key, boolean checksums);

    /**
     * The MD5 (and, when asked, one full-object checksum) of a local file, read exactly as an upload reads it, so
     * the same open and size checks apply. Failures are local ({@link ObjectStoreException#looksLikeOutage()} is
     * false).
     */
    LocalDigest digest(UploadFile source, Optional<ChecksumAlgorithm> also);

    /**
     * Before any upload: proves the bucket exists and accepts us. Throws {@link TargetUnusableException}, naming the
     * setting to change, when no upload could succeed (no such bucket, refused credentials, TLS or DNS failure).
     */
    void checkBucket();

    /**
     * Uploads a file's bytes with our storage class and SSE-C key, with the server verifying an integrity
     * checksum (Content-MD5, per part for multipart uploads). Returns only when the server acknowledged the
     * upload; a failed or cancelled multipart upload is aborted before this throws.
     *
     * @param source what to send, opened and identity-checked by the local store's rules ({@link UploadFile})
     */
    PutReceipt put(String key, UploadFile source);

    /**
     * As {@link #put(String, UploadFile)}; with {@code sha256Header}, a single-part upload also sends the SHA-256 of
     * its bytes as an {@code x-amz-checksum-sha256} header, which only a store whose probe showed it verifies that
     * header is asked for ({@link StoreCapabilities#verifiesSha256()}). Multipart uploads never do (their checksums
     * are composite, not the file's). A store that cannot send it ignores the flag.
     */
    default PutReceipt put(String key, UploadFile source, boolean sha256Header) {
        return put(key, source);
    }

    /**
     * Aborts the single-part uploads whose requests are on the wire now (a run at offload.max-run-duration: their
     * objects would not be verified in this run anyway). Each aborted {@link #put} throws; only calls made by
     * threads that are also interrupted are aborted for good (an attempt started after this by an interrupted thread
     * is refused, one by any other thread is sent as usual). A store that cannot abort a request does nothing: its
     * requests end within their own timeouts.
     */
    default void abortUploadsInFlight() {}

    @Override
    void close();

    /** A listing's entry; {@code eTag} without quotes, {@code lastModified} in whole seconds, when listed. */
    record ListedObject(String key, long size, Optional<String> eTag, Optional<Instant> lastModified) {
        public ListedObject(String key, long size) {
            this(key, size, Optional.empty(), Optional.empty());
        }
    }

    /** @param truncated more keys follow the last one in {@code objects} */
    record ListPage(List<ListedObject> objects, boolean truncated) {}

    /** What a HEAD with our SSE-C key said. */
    sealed interface HeadResult {
        /**
         * The object exists and decrypts with our key (or no SSE-C is in use).
         *
         * @param eTag         without quotes
         * @param lastModified in whole seconds (HTTP dates have no more)
         * @param checksum     a FULL_OBJECT checksum the store returned (only when asked for)
         */
        record Present(long size, Optional<String> eTag, Optional<Instant> lastModified,
                Optional<StoredChecksum> checksum) implements HeadResult {
            public Present(long size) {
                this(size, Optional.empty(), Optional.empty(), Optional.empty());
            }
        }

        /** 404. */
        record Absent() implements HeadResult {}

        /** 403: we may lack ListBucket, so a missing object looks forbidden. Treat as "unknown". */
        record Unknown(int status) implements HeadResult {}

        /** 400 to our SSE-C headers: written without SSE-C or with another key. Synapse cannot read it. */
        record Unreadable(int status, String code) implements HeadResult {}
    }

    /**
     * Proof that the server took exactly our bytes.
     *
     * @param checksumVerified the server checked our Content-MD5 (or x-amz-checksum) and accepted it
     * @param sseKeyMd5Echoed  with SSE-C, the response echoed our key's MD5; true when SSE-C is not used
     * @param eTag             the ETag the store answered, without quotes
     */
    record PutReceipt(String key, long size, String md5Hex, boolean checksumVerified, boolean sseKeyMd5Echoed,
            Optional<String> eTag) {
        public boolean acknowledged() {
            return checksumVerified && sseKeyMd5Echoed;
        }
    }

    /** The full-object checksums S3 defines (x-amz-checksum-*), of which a store may keep one per object. */
    enum ChecksumAlgorithm {
        CRC64NVME,
        CRC32,
        CRC32C,
        SHA256
    }

    /** A FULL_OBJECT checksum as the store returned it (base64 of the big-endian value, as on the wire). */
    record StoredChecksum(ChecksumAlgorithm algorithm, String base64) {}

    /** A local file's MD5 (hex) and, when asked for, one full-object checksum (base64). */
    record LocalDigest(String md5Hex, Optional<String> checksumBase64) {}
}

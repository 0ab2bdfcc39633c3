package org.mediaoffload.pipeline;

import java.util.List;

/**
 * The bucket, seen through our prefix-free keys (callers pass full keys, i.e. prefix + relative path).
 * Every request carries our SSE-C key when one is configured. Implementations retry throttling and 5xx
 * themselves and throw {@link ObjectStoreException} when they give up.
 */
public interface ObjectStore extends AutoCloseable {

    /** All objects whose key starts with {@code keyPrefix}, with their sizes (every page). */
    List<ListedObject> list(String keyPrefix);

    /**
     * One page of the keys under {@code keyPrefix} that sort after {@code startAfter} (S3's binary UTF-8 order), at
     * most {@code maxKeys} of them. Lets a run answer for many keys of a key range in one request.
     */
    ListPage listPage(String keyPrefix, String startAfter, int maxKeys);

    /** HEAD with our SSE-C key. */
    HeadResult head(String key);

    /**
     * Uploads a file's bytes with our storage class and SSE-C key, with the server verifying an integrity
     * checksum (Content-MD5, per part for multipart uploads). Returns only when the server acknowledged the
     * upload; a failed or cancelled multipart upload is aborted before this throws.
     *
     * @param source what to send, opened and identity-checked by the local store's rules ({@link UploadFile})
     */
    PutReceipt put(String key, UploadFile source);

    @Override
    void close();

    record ListedObject(String key, long size) {}

    /** @param truncated more keys follow the last one in {@code objects} */
    record ListPage(List<ListedObject> objects, boolean truncated) {}

    /** What a HEAD with our SSE-C key said. */
    sealed interface HeadResult {
        /** The object exists and decrypts with our key (or no SSE-C is in use). */
        record Present(long size) implements HeadResult {}

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
     */
    record PutReceipt(String key, long size, String md5Hex, boolean checksumVerified, boolean sseKeyMd5Echoed) {
        public boolean acknowledged() {
            return checksumVerified && sseKeyMd5Echoed;
        }
    }
}

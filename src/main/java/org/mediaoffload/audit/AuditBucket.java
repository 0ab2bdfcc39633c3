package org.mediaoffload.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;

/** The bucket as the audit reads it: listings with ETags and dates, HEAD, streamed GETs, and its settings. */
public interface AuditBucket extends AutoCloseable {

    /** One listed object. */
    record BucketObject(String key, long size, String etag, Instant lastModified) {}

    /** @param nextToken the continuation token, null on the last page */
    record Page(List<BucketObject> objects, String nextToken) {}

    /**
     * One ListObjectsV2 page without delimiter.
     *
     * @param startAfter        exclusive lower bound, or null
     * @param continuationToken from the previous page, or null for the first
     */
    Page list(String prefix, String startAfter, String continuationToken, int maxKeys);

    /** HEAD with our SSE-C key. */
    HeadResult head(String key);

    /** At most this many keys per {@link #delete} (S3's limit for DeleteObjects). */
    int MAX_DELETE = 1000;

    /**
     * What a DeleteObjects answered: the keys it reports deleted, and the refused ones with the store's reason.
     * A key in neither was not answered for.
     */
    record Deletion(List<String> deleted, Map<String, String> refused) {}

    /** One DeleteObjects of at most {@link #MAX_DELETE} keys under the bucket, sent with Content-MD5. */
    Deletion delete(List<String> keys);

    /** What a GET with our SSE-C key gave. */
    sealed interface Content {
        record Read(long size, String sha256Hex, String md5Hex) implements Content {}

        record Absent() implements Content {}

        /** The store refused our key (HTTP 400/403 to SSE-C), or the response broke off. */
        record Unreadable(String reason) implements Content {}
    }

    /** GETs the whole object, streaming it through SHA-256 and MD5. */
    Content read(String key);

    /**
     * @param versioning "Enabled", "Suspended", "Off" (never enabled) or "unknown (...)"
     * @param objectLock "Enabled", "Off" or "unknown (...)"
     */
    record Features(String versioning, String objectLock) {}

    Features features();

    @Override
    void close();
}

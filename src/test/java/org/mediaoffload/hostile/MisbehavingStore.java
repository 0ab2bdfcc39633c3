package org.mediaoffload.hostile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3Proxy middleware that lies the ways a broken store (or a broken cache in front of one) does, switched on per
 * test: a PUT answered 200 with the right ETag and the SSE-C echo, but whose bytes are dropped (nothing stored, or
 * only the first half); a listing cut short that says it is complete (no IsTruncated); and a PUT held until the
 * test lets it go, so that the test can change the media store while the run is busy.
 */
final class MisbehavingStore extends ForwardingBlobStore {
    private final Set<String> forget = ConcurrentHashMap.newKeySet();
    private final Set<String> halve = ConcurrentHashMap.newKeySet();
    private final Set<String> forgetWithoutETag = ConcurrentHashMap.newKeySet();
    private final Set<String> completeWithoutETag = ConcurrentHashMap.newKeySet();
    private final Set<String> forgetCompletes = ConcurrentHashMap.newKeySet();
    private volatile int listLimit = Integer.MAX_VALUE;
    private volatile boolean listWithoutETags;
    private volatile int pageLimit = Integer.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicInteger replays = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String heldKey;
    private volatile CountDownLatch seen = new CountDownLatch(1);
    private volatile CountDownLatch go = new CountDownLatch(1);

    MisbehavingStore(BlobStore delegate) {
        super(delegate);
    }

    /** Back to an honest store. */
    void reset() {
        forget.clear();
        halve.clear();
        forgetWithoutETag.clear();
        completeWithoutETag.clear();
        forgetCompletes.clear();
        listLimit = Integer.MAX_VALUE;
        listWithoutETags = false;
        pageLimit = Integer.MAX_VALUE;
        replays.set(0);
        release();
        heldKey = null;
    }

    /** PUTs of this key are answered as stored, and nothing is stored. */
    void forgetPutsOf(String key) {
        forget.add(key);
    }

    /**
     * PUTs of this key are answered 200 with our SSE-C key echoed but no ETag header (as a proxy that strips it
     * would), and nothing is stored.
     */
    void forgetPutsWithoutETagOf(String key) {
        forgetWithoutETag.add(key);
    }

    /** CompleteMultipartUpload of this key completes and answers an empty ETag, as Ceph RGW does. */
    void completeWithoutETagOf(String key) {
        completeWithoutETag.add(key);
    }

    /**
     * CompleteMultipartUpload of this key is answered 200 with an empty ETag (as Ceph RGW answers), but the upload is
     * aborted instead: what was at the key stays.
     */
    void forgetCompletesOf(String key) {
        forgetCompletes.add(key);
    }

    /** PUTs of this key are answered as stored, and only the first half of the body is stored. */
    void halvePutsOf(String key) {
        halve.add(key);
    }

    /** Every listing page returns at most this many objects and claims to be the last. */
    void cutListingsAt(int objects) {
        listLimit = objects;
    }

    /** Listings leave out every object's ETag (as a listing proxy that drops the element would). */
    void listWithoutETags() {
        listWithoutETags = true;
    }

    /** Listing pages hold at most this many keys (truncated, with a continuation token, as S3 pages them). */
    void pageListingsAt(int keys) {
        pageLimit = keys;
    }

    /**
     * The next {@code times} listing requests that continue with a token get the first page of their listing again
     * instead (what a store does with a continuation token it no longer knows, or a proxy that drops it).
     */
    void replayFirstPages(int times) {
        replays.set(times);
    }

    /** The next PUT of this key waits (before its body is read) until {@link #release}. */
    void hold(String key) {
        seen = new CountDownLatch(1);
        go = new CountDownLatch(1);
        heldKey = key;
    }

    boolean holding() {
        return seen.getCount() == 0;
    }

    void release() {
        go.countDown();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        if (request.key().equals(heldKey) && seen.getCount() > 0) {
            seen.countDown();
            try {
                go.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (forget.contains(request.key())) {
            return acknowledged(request, readAll(input));
        }
        if (forgetWithoutETag.contains(request.key())) {
            readAll(input);
            return acknowledged(request, new byte[0]).toBuilder().eTag(null).build();
        }
        if (halve.contains(request.key())) {
            byte[] body = readAll(input);
            byte[] half = Arrays.copyOf(body, body.length / 2);
            super.putBlob(request.toBuilder().contentLength((long) half.length).contentMD5(null).build(),
                    new ByteArrayInputStream(half));
            return acknowledged(request, body);
        }
        return super.putBlob(request, input);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
            CompleteMultipartUploadRequest request) {
        if (forgetCompletes.contains(request.key())) {
            super.abortMultipartUpload(upload);
            return CompleteMultipartUploadResponse.builder().bucket(request.bucket()).key(request.key()).eTag("")
                    .build();
        }
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        return completeWithoutETag.contains(request.key()) ? response.toBuilder().eTag("").build() : response;
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        ListObjectsV2Request asked = request;
        if (request.maxKeys() == null || request.maxKeys() > pageLimit) {
            asked = asked.toBuilder().maxKeys(pageLimit).build();
        }
        if (request.continuationToken() != null && replays.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            asked = asked.toBuilder().continuationToken(null).build();
        }
        ListObjectsV2Response response = super.list(asked);
        if (response != null && listWithoutETags) {
            response = response.toBuilder()
                    .contents(response.contents().stream().map(o -> o.toBuilder().eTag(null).build()).toList())
                    .build();
        }
        int limit = listLimit;
        if (response == null || response.contents().size() <= limit) {
            return response;
        }
        List<S3Object> cut = response.contents().subList(0, limit);
        return response.toBuilder().contents(cut).keyCount(cut.size()).isTruncated(false)
                .nextContinuationToken(null).build();
    }

    /** What an honest store answers for these bytes: their MD5 as the ETag, our SSE-C key's MD5 echoed. */
    private static PutObjectResponse acknowledged(PutObjectRequest request, byte[] body) {
        return PutObjectResponse.builder().eTag("\"" + md5Hex(body) + "\"")
                .sseCustomerAlgorithm(request.sseCustomerAlgorithm()).sseCustomerKeyMD5(request.sseCustomerKeyMD5())
                .build();
    }

    private static byte[] readAll(InputStream input) {
        try {
            return input.readAllBytes(); // S3Proxy's stream checks the Content-MD5 at its end
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

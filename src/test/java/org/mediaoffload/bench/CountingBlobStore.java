package org.mediaoffload.bench;

import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Counts, inside S3Proxy, the storage operations its S3 handler performs for the requests it receives (one
 * {@code putBlob} per PutObject, one {@code list} per ListObjects, one {@code blobMetadata} per HeadObject, ...).
 * S3Proxy's own Prometheus endpoint cannot serve here (its OpenTelemetry exporter needs a newer prometheus-metrics
 * than the one our micrometer brings), so the benchmark counts one level below HTTP instead.
 */
final class CountingBlobStore extends ForwardingBlobStore {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    CountingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    private void count(String op) {
        counts.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
    }

    /** The counts so far, by operation, sorted; {@code reset} zeroes them after reading. */
    Map<String, Long> snapshot(boolean reset) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, reset ? v.getAndSet(0) : v.get()));
        return out;
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        count("list");
        return super.list(request);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        count("headBucket");
        return super.headBucket(request);
    }

    @Override
    public boolean blobExists(String container, String name) {
        count("blobExists");
        return super.blobExists(container, name);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
        count("putBlob");
        return super.putBlob(request, in);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        count("blobMetadata");
        return super.blobMetadata(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        count("getBlob");
        return super.getBlob(request);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        count("removeBlob");
        return super.removeBlob(request);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        count("initiateMultipartUpload");
        return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload mpu, UploadPartRequest request, InputStream in) {
        count("uploadMultipartPart");
        return super.uploadMultipartPart(mpu, request, in);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload mpu,
            CompleteMultipartUploadRequest request) {
        count("completeMultipartUpload");
        return super.completeMultipartUpload(mpu, request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload mpu) {
        count("abortMultipartUpload");
        super.abortMultipartUpload(mpu);
    }
}

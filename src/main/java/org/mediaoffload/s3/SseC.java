package org.mediaoffload.s3;

import java.util.Optional;
import org.mediaoffload.config.SseCustomerKey;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Adds our SSE-C headers (algorithm, key, key MD5: all three, always) to every request that reads or writes
 * object data, and checks the server's echo. No-ops when no key is configured.
 */
final class SseC {
    private final Optional<SseCustomerKey> key;

    SseC(Optional<SseCustomerKey> key) {
        this.key = key;
    }

    boolean enabled() {
        return key.isPresent();
    }

    HeadObjectRequest.Builder apply(HeadObjectRequest.Builder b) {
        key.ifPresent(k -> b.sseCustomerAlgorithm(k.algorithm()).sseCustomerKey(k.keyBase64())
                .sseCustomerKeyMD5(k.keyMd5Base64()));
        return b;
    }

    GetObjectRequest.Builder apply(GetObjectRequest.Builder b) {
        key.ifPresent(k -> b.sseCustomerAlgorithm(k.algorithm()).sseCustomerKey(k.keyBase64())
                .sseCustomerKeyMD5(k.keyMd5Base64()));
        return b;
    }

    PutObjectRequest.Builder apply(PutObjectRequest.Builder b) {
        key.ifPresent(k -> b.sseCustomerAlgorithm(k.algorithm()).sseCustomerKey(k.keyBase64())
                .sseCustomerKeyMD5(k.keyMd5Base64()));
        return b;
    }

    CreateMultipartUploadRequest.Builder apply(CreateMultipartUploadRequest.Builder b) {
        key.ifPresent(k -> b.sseCustomerAlgorithm(k.algorithm()).sseCustomerKey(k.keyBase64())
                .sseCustomerKeyMD5(k.keyMd5Base64()));
        return b;
    }

    UploadPartRequest.Builder apply(UploadPartRequest.Builder b) {
        key.ifPresent(k -> b.sseCustomerAlgorithm(k.algorithm()).sseCustomerKey(k.keyBase64())
                .sseCustomerKeyMD5(k.keyMd5Base64()));
        return b;
    }

    /** S3 accepts SSE-C on Complete since 2023 and requires it when a bucket policy demands SSE-C. */
    CompleteMultipartUploadRequest.Builder apply(CompleteMultipartUploadRequest.Builder b) {
        key.ifPresent(k -> b.sseCustomerAlgorithm(k.algorithm()).sseCustomerKey(k.keyBase64())
                .sseCustomerKeyMD5(k.keyMd5Base64()));
        return b;
    }

    /** True when no SSE-C is in use, or the response's key MD5 equals ours (the server used our key). */
    boolean echoed(String responseKeyMd5) {
        return key.map(k -> k.keyMd5Base64().equals(responseKeyMd5)).orElse(true);
    }
}

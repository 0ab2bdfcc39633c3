package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;
import org.mediaoffload.pipeline.ObjectStoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Runs one S3 call: reports it to the observer and turns SDK failures into {@link ObjectStoreException}s
 * whose messages name the operation, bucket, key, status and S3 error code, and nothing else (no request
 * headers, so neither credentials nor the SSE-C key can leak).
 */
final class S3Calls {
    private final String bucket;
    private final S3RequestObserver observer;

    S3Calls(String bucket, S3RequestObserver observer) {
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.observer = requireNonNull(observer, "observer is null");
    }

    <T extends SdkResponse> T call(String operation, String key, Supplier<T> request) {
        long start = System.nanoTime();
        int status = 0;
        try {
            T response = request.get();
            status = response.sdkHttpResponse().statusCode();
            return response;
        } catch (SdkException e) {
            status = statusOf(e);
            throw translate(operation, key, e);
        } finally {
            observer.requestCompleted(operation, status, System.nanoTime() - start);
        }
    }

    ObjectStoreException translate(String operation, String key, SdkException e) {
        int status = statusOf(e);
        String where = operation + " s3://" + bucket + "/" + key;
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            return new ObjectStoreException(where + " cancelled (thread interrupted)", 0, S3ObjectStore.CANCELLED, e);
        }
        String code = errorCodeOf(e);
        String message = status == 0
                ? where + " failed: no response (" + rootCause(e) + ")"
                : where + " failed: HTTP " + status + (code.isEmpty() ? "" : ", S3 error code " + code);
        return new ObjectStoreException(message, status, code, e);
    }

    static int statusOf(SdkException e) {
        return e instanceof SdkServiceException service ? service.statusCode() : 0;
    }

    static String errorCodeOf(SdkException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return "";
    }

    /** The innermost cause's class and message: "Connection refused", "PKIX path building failed", ... */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}

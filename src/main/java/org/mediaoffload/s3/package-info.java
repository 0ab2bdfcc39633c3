/**
 * The bucket, through AWS SDK v2's sync client on the Apache HTTP client.
 *
 * <p>Entry points: {@link org.mediaoffload.s3.S3ClientFactory#create} (the client, with settings that work on
 * AWS and S3-compatible stores), {@link org.mediaoffload.s3.S3ObjectStore} (the pipeline's
 * {@code ObjectStore}), {@link org.mediaoffload.s3.BucketProbe} ({@code check-config}'s bucket probes) and
 * {@link org.mediaoffload.s3.S3RequestObserver} (one callback per S3 call, for metrics).
 *
 * <p>Requests per file: below the multipart threshold one PutObject (Content-MD5, SSE-C, storage class), sent by
 * {@link org.mediaoffload.s3.LeanPut} (the SDK's signer on the client's pool, past its request pipeline) when the
 * store is built on an {@link org.mediaoffload.s3.S3Connection};
 * at or above it CreateMultipartUpload + one UploadPart per part + CompleteMultipartUpload (plus
 * AbortMultipartUpload on failure). A HEAD is one HeadObject; a listing is one ListObjectsV2 per 1,000 keys.
 * Retries by the client's strategy (throttling, 5xx, connection errors) come on top and are not reported separately.
 *
 * <p>Nothing here logs. Exception messages carry operation, bucket, key, HTTP status and S3 error code, never
 * request headers, so neither credentials nor the SSE-C key or its MD5 can appear in them.
 */
package org.mediaoffload.s3;

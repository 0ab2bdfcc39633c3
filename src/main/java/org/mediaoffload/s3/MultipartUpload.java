package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.SynapseHash;
import org.mediaoffload.pipeline.UploadFile;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A multipart upload, parts sent one after another. Sequential on purpose: the engine already keeps
 * {@code concurrency} files in flight, so memory stays at one part per upload, and a part buffer is reused. At most
 * {@code multipart-concurrency} uploads run at once, however many transfers there are: the part buffers are what
 * fills a heap (64 transfers x 8 MiB parts = 512 MiB, the daemon's whole heap), while a single PUT holds at most
 * 1 MiB, so {@code concurrency} can be raised for small files without raising the memory bound of large ones.
 * Each part is read once, carries its own Content-MD5 and our SSE-C headers; the whole-file MD5 is computed
 * on the same read, and so is Synapse's sha256 where the file carries one ({@link SynapseHash}): checked before
 * Complete, so bytes that differ are never committed. Any failure, including a mismatch or an interrupt, aborts the upload before this throws, so no
 * half-finished upload is left to be billed (unless the abort itself cannot reach the store).
 */
final class MultipartUpload {
    /** S3's limit on parts per upload. */
    private static final long MAX_PARTS = 10_000;
    /** AWS documents that Complete can take minutes for large uploads (it keeps the connection alive meanwhile). */
    private static final Duration COMPLETE_ALLOWANCE = Duration.ofMinutes(5);

    private final S3Client client;
    private final S3Config config;
    private final SseC sse;
    private final UploadBody body;
    private final S3Calls calls;
    /** One permit per part buffer that may be held at once; taken before the file is opened, given back at the end. */
    private final Semaphore slots;

    MultipartUpload(S3Client client, S3Config config, SseC sse, UploadBody body, S3Calls calls) {
        this.client = requireNonNull(client, "client is null");
        this.config = requireNonNull(config, "config is null");
        this.sse = requireNonNull(sse, "sse is null");
        this.body = requireNonNull(body, "body is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.slots = new Semaphore(Math.max(1, config.multipartConcurrency()));
    }

    PutReceipt put(String key, UploadFile source) {
        try {
            // Waits only while other large files are being sent; nothing is open or created on the bucket yet.
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller's cancel: the flag stays, as after an aborted upload
            throw cancelled(key);
        }
        try {
            return send(key, source);
        } finally {
            slots.release();
        }
    }

    private PutReceipt send(String key, UploadFile source) {
        long size = source.size();
        // Grow parts for huge files so they fit in S3's 10,000-part limit.
        long partSize = Math.max(config.multipartPartSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
        UploadSource file = new UploadSource(source);
        try (InputStream in = file.open()) {
            CreateMultipartUploadResponse created = calls.call("CreateMultipartUpload", key,
                    () -> client.createMultipartUpload(sse.apply(CreateMultipartUploadRequest.builder()
                            .bucket(config.bucket())
                            .key(key)
                            .contentType("application/octet-stream")
                            .storageClass(config.storageClass())).build()));
            String uploadId = created.uploadId();
            try {
                return uploadParts(key, file, SynapseHash.of(source), in, partSize, uploadId,
                    sse.echoed(created.sseCustomerKeyMD5()));
            } catch (RuntimeException | Error e) {
                abort(key, uploadId, e);
                throw e;
            }
        } catch (IOException e) {
            throw file.readFailed(e); // closing failed; the upload itself completed or was aborted
        }
    }

    private PutReceipt uploadParts(String key, UploadSource file, SynapseHash synapse, InputStream in, long partSize,
            String uploadId, boolean echoedSoFar) {
        long size = file.expectedSize();
        MessageDigest whole = Md5.newDigest();
        byte[] buffer = new byte[Math.toIntExact(Math.min(partSize, size))];
        List<CompletedPart> parts = new ArrayList<>();
        boolean echoed = echoedSoFar;
        boolean verified = true;
        for (long offset = 0; offset < size; offset += buffer.length) {
            checkNotInterrupted(key);
            int length = (int) Math.min(buffer.length, size - offset);
            file.readFully(in, buffer, length);
            whole.update(buffer, 0, length);
            synapse.update(buffer, 0, length);
            UploadPartResponse response = uploadPart(key, uploadId, parts.size() + 1, buffer, length);
            verified &= response.sdkHttpResponse().statusCode() == 200;
            echoed &= sse.echoed(response.sseCustomerKeyMD5());
            parts.add(CompletedPart.builder().partNumber(parts.size() + 1).eTag(response.eTag()).build());
        }
        file.expectEnd(in);
        // Every part came from one open of the scanned file; it must still be that file before the upload completes.
        file.throwIfChanged();
        synapse.check(); // the parts sent are these bytes (each part's Content-MD5); aborted when they differ
        checkNotInterrupted(key);
        CompleteMultipartUploadResponse completed = calls.call("CompleteMultipartUpload", key,
                () -> client.completeMultipartUpload(sse.apply(
                CompleteMultipartUploadRequest.builder().bucket(config.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts))
                        .overrideConfiguration(o -> o.apiCallAttemptTimeout(
                                config.requestTimeout().plus(COMPLETE_ALLOWANCE)))).build()));
        // Ceph RGW answers Complete with an empty ETag; the after-listing has the real one.
        return new PutReceipt(key, size, Md5.hex(whole.digest()), verified, echoed,
                S3ObjectStore.unquoted(completed.eTag()));
    }

    private UploadPartResponse uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
        UploadPartRequest request = sse.apply(UploadPartRequest.builder()
                        .bucket(config.bucket())
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength((long) length)
                        .contentMD5(Md5.base64(Md5.of(data, length)))
                        .overrideConfiguration(o -> o.apiCallAttemptTimeout(body.attemptTimeout(length))))
                .build();
        return calls.call("UploadPart", key, () -> client.uploadPart(request, body.of(data, length)));
    }

    private void abort(String key, String uploadId, Throwable failure) {
        // The SDK refuses to send anything from an interrupted thread; clear the flag for the abort only.
        boolean interrupted = Thread.interrupted();
        try {
            calls.call("AbortMultipartUpload", key, () -> client.abortMultipartUpload(
                    b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void checkNotInterrupted(String key) {
        if (Thread.currentThread().isInterrupted()) {
            throw cancelled(key);
        }
    }

    private static ObjectStoreException cancelled(String key) {
        return new ObjectStoreException("multipart upload of " + key + " cancelled", 0, S3ObjectStore.CANCELLED, null);
    }
}

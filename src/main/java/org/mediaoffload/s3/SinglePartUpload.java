package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.mediaoffload.pipeline.SynapseHash;
import org.mediaoffload.pipeline.UploadFile;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * One PutObject with Content-MD5, so the server verifies the bytes (BadDigest otherwise). A small file is read once
 * into memory and hashed; a larger one is hashed in one pass and streamed from disk in a second, so memory per upload
 * stays at {@value #IN_MEMORY_LIMIT} bytes whatever the multipart threshold. Should the file change between the two
 * passes, the server refuses the upload (the MD5 no longer matches) and the file is reported as changed. The read that
 * computes the MD5 also checks Synapse's sha256 where the file carries one ({@link SynapseHash}), before anything is
 * sent, and, on a store that verifies it, computes the SHA-256 sent as {@code x-amz-checksum-sha256}.
 */
final class SinglePartUpload {
    /** Up to this size one read into memory is cheaper than two streamed passes. */
    static final int IN_MEMORY_LIMIT = 1 << 20;
    private static final int BUFFER = 64 * 1024;

    /** Sends one PutObject: the client's {@code putObject}, or {@link LeanPut}'s with the same request and body. */
    @FunctionalInterface
    interface Sender {
        PutObjectResponse putObject(PutObjectRequest request, RequestBody body);
    }

    private final Sender sender;
    private final S3Config config;
    private final SseC sse;
    private final UploadBody body;
    private final S3Calls calls;

    SinglePartUpload(Sender sender, S3Config config, SseC sse, UploadBody body, S3Calls calls) {
        this.sender = requireNonNull(sender, "sender is null");
        this.config = requireNonNull(config, "config is null");
        this.sse = requireNonNull(sse, "sse is null");
        this.body = requireNonNull(body, "body is null");
        this.calls = requireNonNull(calls, "calls is null");
    }

    /**
     * @param sha256Header also send the SHA-256 of the bytes as {@code x-amz-checksum-sha256} (a header, computed on
     *                     the same read as the MD5), for a store whose probe showed it verifies that header
     */
    PutReceipt put(String key, UploadFile source, boolean sha256Header) {
        long size = source.size();
        UploadSource file = new UploadSource(source);
        SynapseHash sha256 = SynapseHash.of(source, sha256Header);
        if (size <= IN_MEMORY_LIMIT) {
            int length = Math.toIntExact(size);
            byte[] data = new byte[length];
            try (InputStream in = file.open()) {
                file.readFully(in, data, length);
                file.expectEnd(in);
            } catch (IOException e) {
                throw file.readFailed(e);
            }
            // The bytes in memory are the scanned file's only if it is still that file after the read.
            file.throwIfChanged();
            sha256.update(data, 0, length);
            sha256.check();
            return send(key, size, Md5.of(data, length), header(sha256, sha256Header), body.of(data, length), file);
        }
        byte[] md5 = hash(file, sha256);
        file.throwIfChanged();
        // The second pass sends exactly these bytes or fails: the server checks them against this pass's MD5.
        sha256.check();
        PutReceipt receipt = send(key, size, md5, header(sha256, sha256Header), body.of(file), file);
        // Each attempt re-opened the file (identity checked on open); the body the server accepted matched the MD5
        // of the first pass, and the file is still the scanned one after it.
        file.throwIfChanged();
        return receipt;
    }

    private static Optional<String> header(SynapseHash sha256, boolean wanted) {
        return wanted ? sha256.value().map(Base64.getEncoder()::encodeToString) : Optional.empty();
    }

    private PutReceipt send(String key, long size, byte[] md5, Optional<String> sha256, RequestBody requestBody,
            UploadSource file) {
        PutObjectRequest.Builder builder = PutObjectRequest.builder()
                .bucket(config.bucket())
                .key(key)
                .contentLength(size)
                .contentMD5(Md5.base64(md5))
                .storageClass(config.storageClass())
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(body.attemptTimeout(size)));
        // A value given here goes as a header; the SDK computes (and trails) nothing itself (WHEN_REQUIRED).
        sha256.ifPresent(builder::checksumSHA256);
        PutObjectRequest request = sse.apply(builder).build();
        PutObjectResponse response;
        try {
            response = calls.call("PutObject", key, () -> sender.putObject(request, requestBody));
        } catch (ObjectStoreException e) {
            // A file that changed under a streamed upload fails as BadDigest or a short body: the file's fault.
            file.throwIfChanged();
            throw e;
        }
        // Both senders return only on 2xx; the server checked our Content-MD5 before answering.
        boolean verified = response.sdkHttpResponse().statusCode() == 200;
        return new PutReceipt(key, size, Md5.hex(md5), verified, sse.echoed(response.sseCustomerKeyMD5()),
                S3ObjectStore.unquoted(response.eTag()));
    }

    /** The first of two passes over a streamed file: its MD5 (and Synapse's hash), insisting on the expected size. */
    private static byte[] hash(UploadSource file, SynapseHash synapse) {
        MessageDigest digest = Md5.newDigest();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        try (InputStream in = file.open()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                synapse.update(buffer, 0, n);
                total += n;
                if (total > file.expectedSize()) {
                    break;
                }
            }
        } catch (IOException e) {
            throw file.readFailed(e);
        }
        file.checkLength(total);
        return digest.digest();
    }
}

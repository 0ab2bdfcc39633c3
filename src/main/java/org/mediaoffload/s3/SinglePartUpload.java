package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * One PutObject: the file is read once into memory, hashed, and sent with Content-MD5 so the server
 * verifies the bytes (BadDigest otherwise). Memory per call is the file size, below the multipart threshold.
 */
final class SinglePartUpload {
    private final S3Client client;
    private final S3Config config;
    private final SseC sse;
    private final UploadBody body;
    private final S3Calls calls;

    SinglePartUpload(S3Client client, S3Config config, SseC sse, UploadBody body, S3Calls calls) {
        this.client = requireNonNull(client, "client is null");
        this.config = requireNonNull(config, "config is null");
        this.sse = requireNonNull(sse, "sse is null");
        this.body = requireNonNull(body, "body is null");
        this.calls = requireNonNull(calls, "calls is null");
    }

    PutReceipt put(String key, Path source, long size) {
        int length = Math.toIntExact(size);
        byte[] data = new byte[length];
        UploadSource file = new UploadSource(source, size);
        try (InputStream in = file.open()) {
            file.readFully(in, data, length);
            file.expectEnd(in);
        } catch (IOException e) {
            throw file.readFailed(e);
        }
        byte[] md5 = Md5.of(data, length);
        PutObjectRequest request = sse.apply(PutObjectRequest.builder()
                        .bucket(config.bucket())
                        .key(key)
                        .contentLength(size)
                        .contentMD5(Md5.base64(md5))
                        .storageClass(config.storageClass())
                        .overrideConfiguration(o -> o.apiCallAttemptTimeout(body.attemptTimeout(size))))
                .build();
        PutObjectResponse response = calls.call("PutObject", key, () -> client.putObject(request, body.of(data, length)));
        // The SDK returns only on 2xx; the server checked our Content-MD5 before answering.
        boolean verified = response.sdkHttpResponse().statusCode() == 200;
        return new PutReceipt(key, size, Md5.hex(md5), verified, sse.echoed(response.sseCustomerKeyMD5()));
    }
}

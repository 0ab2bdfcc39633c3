package org.mediaoffload.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.mediaoffload.s3.Crc64Nvme;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * An S3Proxy middleware that keeps a FULL_OBJECT {@code x-amz-checksum-crc64nvme} per object and returns it on HEAD,
 * as AWS does (it adds one to objects uploaded without any). {@link #verifying} stores the checksum of the bytes
 * received (S3Proxy itself refuses a wrong value sent with the upload); {@link #claiming} is a store that takes any
 * value and returns it as if it were true (the bytes are passed on whatever the checksum sent says).
 */
public final class FullObjectChecksumStore extends ForwardingBlobStore {
    private final boolean verify;
    private final Map<String, String> checksums = new ConcurrentHashMap<>();

    private FullObjectChecksumStore(BlobStore delegate, boolean verify) {
        super(delegate);
        this.verify = verify;
    }

    public static FullObjectChecksumStore verifying(BlobStore delegate) {
        return new FullObjectChecksumStore(delegate, true);
    }

    public static FullObjectChecksumStore claiming(BlobStore delegate) {
        return new FullObjectChecksumStore(delegate, false);
    }

    public static String crc64nvme(byte[] data) {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(data, 0, data.length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(crc.getValue()).array());
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        byte[] body;
        String claimed = request.checksumCRC64NVME();
        PutObjectRequest forwarded = request;
        if (verify) {
            body = readAll(input);
        } else {
            // Read the bytes past S3Proxy's own check of the sent checksum, and forward them without it.
            body = readIgnoringValidation(input, request.contentLength());
            forwarded = request.toBuilder().checksumCRC64NVME(null).build();
        }
        PutObjectResponse response = super.putBlob(forwarded, new java.io.ByteArrayInputStream(body));
        checksums.put(request.bucket() + "/" + request.key(),
                verify || claimed == null ? crc64nvme(body) : claimed);
        return response;
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        HeadObjectResponse response = super.blobMetadata(request);
        String checksum = checksums.get(request.bucket() + "/" + request.key());
        if (response == null || checksum == null) {
            return response;
        }
        return response.toBuilder().checksumCRC64NVME(checksum).checksumType(ChecksumType.FULL_OBJECT).build();
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        checksums.remove(request.bucket() + "/" + request.key());
        return super.removeBlob(request);
    }

    private static byte[] readAll(InputStream input) {
        try {
            return input.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readIgnoringValidation(InputStream input, Long length) {
        byte[] body = new byte[Math.toIntExact(length)];
        int n = 0;
        try {
            while (n < body.length) {
                int r = input.read(body, n, body.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            // S3Proxy's checksum validator fails at the end of a body whose sent checksum is wrong; this store
            // does not care.
        }
        return body;
    }
}

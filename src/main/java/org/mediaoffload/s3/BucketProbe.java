package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStoreException;
import software.amazon.awssdk.core.sync.RequestBody;
import org.mediaoffload.pipeline.StoreCapabilities;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * {@code check-config}'s bucket probes: does the bucket answer, does it take an upload shaped exactly like
 * ours (Content-MD5, SSE-C, storage class), can we read it back with our key and not without, does the store
 * really verify Content-MD5, and can the probe object be removed. A probe that fails stops the ones that
 * depend on it. Probe objects live under {@code prefix + ".synapse-media-offload-probe/"}.
 *
 * <p>Two probes find what may prove an object we did not upload ({@link #capabilities()}, recorded by
 * check-config for the runs): whether the store refuses a wrong {@code x-amz-checksum-crc64nvme} and returns the
 * right one as a FULL_OBJECT checksum, and whether a single-part upload with our SSE-C settings gets the
 * plaintext's MD5 as its ETag. Either is believed only when seen here. A third finds whether the store verifies an
 * {@code x-amz-checksum-sha256} header (then single-part uploads send one).
 */
public final class BucketProbe {
    static final String PROBE_DIRECTORY = ".synapse-media-offload-probe/";
    private static final byte[] BODY = "synapse-media-offload check-config probe\n".getBytes(StandardCharsets.UTF_8);

    private final S3Client client;
    private final S3Config config;
    private final SseC sse;
    private final S3Calls calls;
    private final ProbeAdvice advice;
    private boolean eTagIsPlaintextMd5;
    private boolean refusesWrongChecksum;
    private boolean verifiesSha256;

    /** The caller owns {@code client} (build it with {@link S3ClientFactory#create}). */
    public BucketProbe(S3Client client, S3Config config) {
        this.client = requireNonNull(client, "client is null");
        this.config = requireNonNull(config, "config is null");
        this.sse = new SseC(config.sseCustomerKey());
        this.calls = new S3Calls(config.bucket(), S3RequestObserver.NONE);
        this.advice = new ProbeAdvice(config);
    }

    public List<ProbeResult> run() {
        String key = config.prefix() + PROBE_DIRECTORY + UUID.randomUUID();
        List<ProbeResult> results = new ArrayList<>();
        if (!add(results, reachable()) || !add(results, upload(key))) {
            return results;
        }
        add(results, readBack(key));
        if (sse.enabled()) {
            add(results, sseEnforced(key));
        }
        add(results, contentMd5Verified(key + "-wrong-md5"));
        add(results, checksumsKept(key + "-checksum"));
        add(results, sha256Verified(key + "-sha256"));
        add(results, cleanup(key));
        return results;
    }

    /** What the last {@link #run()} showed; neither holds when the probes did not get that far. */
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(refusesWrongChecksum, eTagIsPlaintextMd5, verifiesSha256);
    }

    private static boolean add(List<ProbeResult> results, ProbeResult result) {
        results.add(result);
        return result.ok();
    }

    private ProbeResult reachable() {
        String name = "bucket reachable";
        try {
            calls.call("HeadBucket", "", () -> client.headBucket(b -> b.bucket(config.bucket())));
            return new ProbeResult(name, true, "bucket " + config.bucket() + " answers at "
                    + config.endpoint().map(Object::toString).orElse("the AWS endpoint for " + config.region())
                    + (config.pathStyle() ? " (path-style)" : " (virtual-hosted style)"));
        } catch (ObjectStoreException e) {
            if (e.status() == 403) {
                // Offloading works without ListBucket (a missing object then answers 403, handled as "unknown"),
                // and a HEAD has no error body to tell that from bad credentials; a listing's 403 has one. Without
                // it, wrong keys showed "[ok] bucket reachable" above the upload's failure.
                Optional<ObjectStoreException> refused = credentialsRefused();
                if (refused.isPresent()) {
                    return new ProbeResult(name, false, advice.forFailure(refused.get()));
                }
                return new ProbeResult(name, true, "warning: HeadBucket on " + config.bucket() + " answered 403."
                        + " The credentials lack s3:ListBucket on the bucket (or are wrong: see the upload probe)."
                        + " Without ListBucket, a HEAD of a not-yet-offloaded file answers 403 instead of 404 and"
                        + " listings cannot be used to verify uploads; grant s3:ListBucket for fewer requests.");
            }
            return new ProbeResult(name, false, advice.forFailure(e));
        }
    }

    /** A one-key listing under the prefix, to read the error code a 403 to HeadBucket could not carry. */
    private Optional<ObjectStoreException> credentialsRefused() {
        try {
            calls.call("ListObjectsV2", config.prefix(), () -> client.listObjectsV2(b -> b.bucket(config.bucket())
                    .prefix(config.prefix()).maxKeys(1)));
            return Optional.empty();
        } catch (ObjectStoreException e) {
            boolean credentials = e.errorCode().equals("SignatureDoesNotMatch")
                    || e.errorCode().equals("InvalidAccessKeyId");
            return credentials ? Optional.of(e) : Optional.empty();
        }
    }

    private ProbeResult upload(String key) {
        String name = "upload with Content-MD5" + (sse.enabled() ? ", SSE-C" : "") + " and storage class "
                + config.storageClass();
        try {
            put(key, Md5.base64(Md5.of(BODY, BODY.length)), true);
            return new ProbeResult(name, true, "accepted " + key);
        } catch (ObjectStoreException e) {
            // A bare 400 does not say what was refused: the same upload without the suspect setting tells.
            if (UploadRefusal.mayBeUndefinedStorageClass(e, config)
                    && acceptsUpload(key + "-standard", sse.enabled(), "STANDARD")) {
                return new ProbeResult(name, false, advice.storageClassUndefined(e));
            }
            if (sse.enabled() && e.status() > 0 && acceptsUpload(key + "-plain", false, config.storageClass())) {
                return new ProbeResult(name, false, advice.sseCBlocked(e));
            }
            return new ProbeResult(name, false, advice.forFailure(e));
        }
    }

    private boolean acceptsUpload(String key, boolean withSseC, String storageClass) {
        try {
            put(key, Md5.base64(Md5.of(BODY, BODY.length)), withSseC, storageClass);
        } catch (ObjectStoreException e) {
            return false;
        }
        deleteQuietly(key);
        return true;
    }

    private ProbeResult readBack(String key) {
        String name = "read back" + (sse.enabled() ? " with our SSE-C key" : "");
        try {
            HeadObjectResponse head = calls.call("HeadObject", key,
                    () -> client.headObject(sse.apply(HeadObjectRequest.builder().bucket(config.bucket()).key(key)).build()));
            boolean sizeOk = head.contentLength() != null && head.contentLength() == BODY.length;
            String md5 = Md5.hex(Md5.of(BODY, BODY.length));
            eTagIsPlaintextMd5 = sizeOk && S3ObjectStore.unquoted(head.eTag()).filter(md5::equalsIgnoreCase).isPresent();
            return new ProbeResult(name, sizeOk, sizeOk ? "HEAD reports the size we sent; the single-part ETag "
                    + (eTagIsPlaintextMd5 ? "is" : "is not") + " the plaintext MD5"
                    + (sse.enabled() ? " with our SSE-C key" : "") + (eTagIsPlaintextMd5
                            ? " (runs use it to prove objects already in the bucket)"
                            : " (runs do not use ETags to prove objects already in the bucket)")
                    : "HEAD reports " + head.contentLength() + " bytes for a " + BODY.length + "-byte upload: the store"
                    + " or a gateway alters objects; uploads cannot be verified.");
        } catch (ObjectStoreException e) {
            return new ProbeResult(name, false, advice.forFailure(e));
        }
    }

    private ProbeResult sseEnforced(String key) {
        String name = "SSE-C enforced";
        try {
            calls.call("HeadObject", key, () -> client.headObject(b -> b.bucket(config.bucket()).key(key)));
            return new ProbeResult(name, false, "a HEAD without our key succeeded: the store does not apply SSE-C"
                    + " (objects are stored without our key, or a gateway strips the headers). Use a store that"
                    + " implements SSE-C, or remove offload.s3.sse-customer-key and the Synapse provider's key.");
        } catch (ObjectStoreException e) {
            if (e.status() == 400 || e.status() == 403) {
                return new ProbeResult(name, true, "a HEAD without our key is refused (HTTP " + e.status() + ")");
            }
            return new ProbeResult(name, false, advice.forFailure(e));
        }
    }

    private ProbeResult contentMd5Verified(String key) {
        String name = "store verifies Content-MD5";
        byte[] other = "not the body".getBytes(StandardCharsets.UTF_8);
        try {
            put(key, Md5.base64(Md5.of(other, other.length)), true);
            deleteQuietly(key);
            return new ProbeResult(name, false, "the store accepted an upload whose Content-MD5 does not match its"
                    + " body: it does not verify checksums, so an upload's success proves nothing about its bytes."
                    + " Use a store (or gateway setting) that verifies Content-MD5.");
        } catch (ObjectStoreException e) {
            if (e.errorCode().equals("BadDigest") || e.errorCode().equals("InvalidDigest")) {
                return new ProbeResult(name, true, "a wrong Content-MD5 is rejected (" + e.errorCode() + ")");
            }
            return new ProbeResult(name, false, advice.forFailure(e));
        }
    }

    /**
     * A PUT with a wrong CRC64NVME must be refused, and one with the right value must come back from a HEAD in
     * checksum mode as FULL_OBJECT: only then is a checksum the store returns a fact, not a claim (Ceph RGW 16.2
     * accepts any value and stores none).
     */
    private ProbeResult checksumsKept(String key) {
        String name = "store keeps full-object checksums";
        String right = crc64(BODY);
        String wrong = crc64("not the body".getBytes(StandardCharsets.UTF_8));
        boolean wrongRefused;
        try {
            putWithChecksum(key, wrong);
            wrongRefused = false;
            deleteQuietly(key);
        } catch (ObjectStoreException e) {
            wrongRefused = e.status() >= 400 && e.status() < 500;
        }
        boolean kept = false;
        if (wrongRefused) {
            try {
                putWithChecksum(key, right);
                HeadObjectResponse head = calls.call("HeadObject", key, () -> client.headObject(sse.apply(
                        HeadObjectRequest.builder().bucket(config.bucket()).key(key)
                                .checksumMode(ChecksumMode.ENABLED)).build()));
                kept = head.checksumType() == ChecksumType.FULL_OBJECT && right.equals(head.checksumCRC64NVME());
            } catch (ObjectStoreException e) {
                kept = false;
            } finally {
                deleteQuietly(key);
            }
        }
        refusesWrongChecksum = wrongRefused && kept;
        return new ProbeResult(name, true, refusesWrongChecksum
                ? "a wrong x-amz-checksum-crc64nvme is refused and the right one is returned: runs use it to prove"
                        + " objects already in the bucket"
                : "no (" + (wrongRefused ? "the checksum is not returned as FULL_OBJECT" : "a wrong checksum is"
                        + " accepted") + "): objects already in the bucket that we did not upload are uploaded again"
                        + " unless the ETag proves them");
    }

    /**
     * A PUT whose {@code x-amz-checksum-sha256} header does not match its body must be refused, and one with the
     * right value accepted: only then does sending the header add a server-side check (Ceph RGW 16.2 accepts and
     * ignores it, a store that rejects the header altogether refuses both). Sent as a header, never a trailer (RGW
     * answers trailers with 411).
     */
    private ProbeResult sha256Verified(String key) {
        String name = "store verifies x-amz-checksum-sha256";
        boolean wrongRefused;
        try {
            putWithSha256(key, sha256("not the body".getBytes(StandardCharsets.UTF_8)));
            wrongRefused = false;
            deleteQuietly(key);
        } catch (ObjectStoreException e) {
            wrongRefused = e.status() >= 400 && e.status() < 500;
        }
        boolean rightAccepted = false;
        if (wrongRefused) {
            try {
                putWithSha256(key, sha256(BODY));
                rightAccepted = true;
            } catch (ObjectStoreException e) {
                rightAccepted = false;
            } finally {
                deleteQuietly(key);
            }
        }
        verifiesSha256 = wrongRefused && rightAccepted;
        return new ProbeResult(name, true, verifiesSha256
                ? "a wrong x-amz-checksum-sha256 is refused: single-part uploads also send the SHA-256 of their bytes"
                : "no (" + (wrongRefused ? "the header is refused even with the right value" : "a wrong value is"
                        + " accepted") + "): uploads are verified by Content-MD5 alone");
    }

    private void putWithSha256(String key, String sha256) {
        PutObjectRequest built = sse.apply(PutObjectRequest.builder().bucket(config.bucket()).key(key)
                .contentLength((long) BODY.length).contentMD5(Md5.base64(Md5.of(BODY, BODY.length)))
                .checksumSHA256(sha256).storageClass(config.storageClass())).build();
        calls.call("PutObject", key, () -> client.putObject(built, RequestBody.fromBytes(BODY)));
    }

    private static String sha256(byte[] data) {
        try {
            return java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    private void putWithChecksum(String key, String crc64nvme) {
        PutObjectRequest built = sse.apply(PutObjectRequest.builder().bucket(config.bucket()).key(key)
                .contentLength((long) BODY.length).contentMD5(Md5.base64(Md5.of(BODY, BODY.length)))
                .checksumCRC64NVME(crc64nvme).storageClass(config.storageClass())).build();
        calls.call("PutObject", key, () -> client.putObject(built, RequestBody.fromBytes(BODY)));
    }

    private static String crc64(byte[] data) {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(data, 0, data.length);
        return java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(8).putLong(crc.getValue()).array());
    }

    private ProbeResult cleanup(String key) {
        String name = "remove probe object";
        try {
            calls.call("DeleteObject", key, () -> client.deleteObject(b -> b.bucket(config.bucket()).key(key)));
            return new ProbeResult(name, true, "removed " + key);
        } catch (ObjectStoreException e) {
            // Offloading never deletes objects, so a missing DeleteObject permission is only untidy.
            return new ProbeResult(name, true, "warning: could not remove " + key + " (" + e.getMessage()
                    + "); delete it by hand. Offloading itself does not need DeleteObject.");
        }
    }

    private void put(String key, String contentMd5, boolean withSseC) {
        put(key, contentMd5, withSseC, config.storageClass());
    }

    private void put(String key, String contentMd5, boolean withSseC, String storageClass) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(config.bucket()).key(key)
                .contentLength((long) BODY.length).contentMD5(contentMd5).storageClass(storageClass);
        PutObjectRequest built = (withSseC ? sse.apply(request) : request).build();
        calls.call("PutObject", key, () -> client.putObject(built, RequestBody.fromBytes(BODY)));
    }

    private void deleteQuietly(String key) {
        try {
            calls.call("DeleteObject", key, () -> client.deleteObject(b -> b.bucket(config.bucket()).key(key)));
        } catch (ObjectStoreException e) {
            // best effort: the probe's own result says what matters
        }
    }
}

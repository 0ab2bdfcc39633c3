package org.mediaoffload.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * An SSE-C key with upstream's semantics: the configured string's UTF-8 bytes <em>are</em> the key
 * (s3_media_upload and the Synapse provider hand the raw string to boto3, which base64-encodes it).
 * It must therefore be exactly 32 bytes for AES256.
 */
public final class SseCustomerKey {
    private final byte[] key;
    private final String algorithm;

    private SseCustomerKey(byte[] key, String algorithm) {
        this.key = key;
        this.algorithm = algorithm;
    }

    /**
     * @throws IllegalArgumentException naming the length found (never the key) when it is not 32 bytes
     */
    public static SseCustomerKey fromConfiguredString(String raw, String algorithm) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 32) {
            throw new IllegalArgumentException("must be exactly 32 bytes (its UTF-8 bytes are the AES-256 key, as in"
                    + " s3_media_upload and the Synapse S3 provider), but is " + bytes.length + " bytes");
        }
        return new SseCustomerKey(bytes, algorithm == null || algorithm.isEmpty() ? "AES256" : algorithm);
    }

    public String algorithm() {
        return algorithm;
    }

    /** Value of {@code x-amz-server-side-encryption-customer-key}. */
    public String keyBase64() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** Value of {@code x-amz-server-side-encryption-customer-key-MD5}. */
    public String keyMd5Base64() {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
    }

    /** Constant-time comparison, for matching our key against the Synapse provider's. */
    public boolean sameKeyAs(SseCustomerKey other) {
        return MessageDigest.isEqual(key, other.key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SseCustomerKey other && sameKeyAs(other) && algorithm.equals(other.algorithm);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "SseCustomerKey[" + algorithm + ", ****]";
    }
}

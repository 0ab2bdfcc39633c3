package org.mediaoffload.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.mediaoffload.config.S3Config;

/**
 * Names the bucket our records are about: endpoint (or the AWS region), bucket, prefix and the SSE-C key's MD5
 * (never the key). Journal proofs and probe results apply only where this matches, so a run against another bucket,
 * prefix or key never leans on them.
 */
public final class TargetFingerprint {
    private TargetFingerprint() {}

    public static String of(S3Config s3) {
        String target = s3.endpoint().map(Object::toString).orElse("aws:" + s3.region()) + "\n" + s3.bucket() + "\n"
                + s3.prefix() + "\n" + s3.sseCustomerKey().map(k -> k.keyMd5Base64()).orElse("no SSE-C");
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}

package org.mediaoffload.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** MD5 for Content-MD5 headers (base64) and receipts (hex). */
final class Md5 {
    private Md5() {}

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
    }

    static byte[] of(byte[] data, int length) {
        MessageDigest digest = newDigest();
        digest.update(data, 0, length);
        return digest.digest();
    }

    static String base64(byte[] md5) {
        return Base64.getEncoder().encodeToString(md5);
    }

    static String hex(byte[] md5) {
        return HexFormat.of().formatHex(md5);
    }
}

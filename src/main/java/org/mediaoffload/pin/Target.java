package org.mediaoffload.pin;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;

/**
 * Where verified media lives, as far as Synapse's provider is concerned: the store, the bucket, the prefix and the
 * SSE-C key. The key is held only as its MD5 (the value S3 itself echoes in
 * {@code x-amz-server-side-encryption-customer-key-MD5}), so a target can be stored, logged and shown.
 *
 * @param endpoint       {@code scheme://host:port}, lower case, default port filled in; {@link #AWS} without one
 * @param keyFingerprint {@code MD5 <base64>} of the SSE-C key, or {@link #NO_SSE_C}
 */
public record Target(String endpoint, String bucket, String prefix, String keyFingerprint) {
    public static final String AWS = "AWS S3 (no endpoint set)";
    public static final String NO_SSE_C = "no SSE-C";

    public Target {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(keyFingerprint, "keyFingerprint is null");
    }

    public static Target of(S3Config s3) {
        return new Target(s3.endpoint().map(Target::normalise).orElse(AWS), s3.bucket(), s3.prefix(),
                fingerprint(s3.sseCustomerKey()));
    }

    public static String fingerprint(Optional<SseCustomerKey> key) {
        return key.map(k -> "MD5 " + k.keyMd5Base64()).orElse(NO_SSE_C);
    }

    /**
     * Scheme, host and port only: {@code HTTPS://S3.example.org/} and {@code https://s3.example.org:443} are the same
     * store. A path (some gateways take one) does not change which store answers, so it is not part of the target.
     */
    static String normalise(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "https" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        String host = endpoint.getHost() == null ? String.valueOf(endpoint.getAuthority())
                : endpoint.getHost().toLowerCase(Locale.ROOT);
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : scheme.equals("http") ? 80 : 443;
        return scheme + "://" + host + ":" + port;
    }

    /** One line per field that differs, {@code field: pinned X, now Y}; empty when the targets are the same. */
    public List<String> differencesFrom(Target pinned) {
        List<String> lines = new ArrayList<>();
        compare(lines, "endpoint (offload.s3.endpoint)", pinned.endpoint, endpoint);
        compare(lines, "bucket (offload.s3.bucket)", pinned.bucket, bucket);
        compare(lines, "prefix (offload.s3.prefix)", quote(pinned.prefix), quote(prefix));
        compare(lines, "SSE-C key (offload.s3.sse-customer-key, shown as its MD5)", pinned.keyFingerprint,
                keyFingerprint);
        return List.copyOf(lines);
    }

    /** The target on one line, with the key as its fingerprint only. */
    public String describe() {
        return "endpoint " + endpoint + ", bucket " + bucket + ", prefix " + quote(prefix) + ", SSE-C key "
                + keyFingerprint;
    }

    private static void compare(List<String> lines, String field, String pinned, String now) {
        if (!pinned.equals(now)) {
            lines.add(field + ": pinned " + pinned + ", now " + now);
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}

package org.mediaoffload.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads {@link S3Config} from {@code offload.s3}. */
final class S3Settings {
    private static final String P = "offload.s3.";
    private static final long MIB = 1024 * 1024;
    /** Synapse's provider reads with a plain GetObject: only classes that serve reads synchronously keep media viewable. */
    private static final Set<String> STORAGE_CLASSES =
            Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA");

    private S3Settings() {}

    static S3Config s3(Settings s) {
        Optional<String> bucket = s.optionalString(P + "bucket");
        if (bucket.isEmpty()) {
            s.missing(P + "bucket", "is required: the bucket Synapse's S3 storage provider reads from"
                    + " (BUCKET in the playbook's env file)");
        }
        String prefix = s.string(P + "prefix");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            s.warning(P + "prefix", "= \"" + prefix + "\" does not end with \"/\"; as upstream, it is prepended"
                    + " verbatim, so keys look like " + prefix + "local_content/... (Synapse's provider must have"
                    + " the same prefix)");
        }
        Optional<URI> endpoint = endpoint(s);
        Optional<Secret> accessKeyId = s.secret(P + "access-key-id");
        Optional<Secret> secretAccessKey = s.secret(P + "secret-access-key");
        Optional<Secret> sessionToken = s.secret(P + "session-token");
        if (sessionToken.isPresent() && accessKeyId.isEmpty()) {
            s.error(P + "session-token", "is set without access-key-id and secret-access-key");
        }
        Optional<Path> caBundle = s.optionalPath(P + "ca-bundle");
        caBundle.filter(path -> !Files.isRegularFile(path) || !Files.isReadable(path)).ifPresent(path ->
                s.error(P + "ca-bundle", "= " + path + " is not a readable file of PEM certificates"));
        S3Config config = new S3Config(bucket.orElse(""), prefix, s.string(P + "region"), endpoint, pathStyle(s, endpoint),
                accessKeyId, secretAccessKey, sessionToken, storageClass(s), sseCustomerKey(s), caBundle,
                s.bool(P + "rewrite-unreadable"),
                s.integer(P + "concurrency", v -> v >= 1, "must be at least 1"),
                s.bytes(P + "multipart-threshold", v -> v >= 1, "must be at least 1"),
                s.bytes(P + "multipart-part-size", v -> v >= 5 * MIB && v <= 5L * 1024 * MIB,
                        "bytes must be between 5MiB and 5GiB (S3's limits for a part)"),
                s.integer(P + "multipart-concurrency", v -> v >= 1, "must be at least 1"),
                s.integer(P + "max-attempts", v -> v >= 1, "must be at least 1"),
                s.duration(P + "request-timeout", d -> d.toNanos() > 0, "must be longer than zero"),
                s.bytes(P + "bandwidth-limit", v -> v >= 0, "must be at least 0"));
        config.missingKeyHalf().ifPresent(unset -> s.missing(P + unset, "is missing while "
                + s.secretWhere(P + (unset.equals("access-key-id") ? "secret-access-key" : "access-key-id"))
                + " is set; give both, or neither to use the SDK's default credentials (e.g. an instance profile)"));
        return config;
    }

    private static Optional<URI> endpoint(Settings s) {
        return s.optionalString(P + "endpoint").flatMap(text -> {
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                        && uri.getUserInfo() == null) {
                    return Optional.of(uri);
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            s.error(P + "endpoint", "must be an http:// or https:// URL with a host (and no user:password@),"
                    + " e.g. https://s3.example.com");
            return Optional.empty();
        });
    }

    /** auto = path-style with an endpoint: most S3-compatible stores lack wildcard DNS; AWS itself prefers virtual hosts. */
    private static boolean pathStyle(Settings s, Optional<URI> endpoint) {
        Optional<ConfigValue> value = s.value(P + "path-style");
        boolean auto = value.isEmpty() || value.get().valueType() == ConfigValueType.STRING
                && "auto".equalsIgnoreCase((String) value.get().unwrapped());
        return auto ? endpoint.isPresent() : s.bool(P + "path-style");
    }

    private static String storageClass(Settings s) {
        String setting = P + "storage-class";
        String configured = s.string(setting);
        String storageClass = configured.toUpperCase(Locale.ROOT);
        if (storageClass.equals("ONEZONE_IA")) {
            s.warning(setting, "= ONEZONE_IA: s3_media_upload accepts it and Synapse can read such objects, but the"
                    + " Synapse S3 provider refuses ONEZONE_IA as its own storage_class, so Synapse's own uploads"
                    + " cannot use it; objects live in a single availability zone");
        } else if (storageClass.equals("GLACIER") || storageClass.equals("DEEP_ARCHIVE")) {
            s.error(setting, "= " + storageClass + " is refused: Synapse's S3 provider reads media with a plain"
                    + " GetObject, which fails for objects in " + storageClass + " until they are restored, so"
                    + " offloaded media would stop loading. Use STANDARD, STANDARD_IA or INTELLIGENT_TIERING");
        } else if (storageClass.equals("GLACIER_IR")) {
            // Readable without a restore, but neither upstream tool accepts it and every read is billed per GB.
            s.error(setting, "= GLACIER_IR is refused: neither s3_media_upload nor the Synapse S3 provider accepts"
                    + " it, it bills every read by the GB with a 90-day minimum, and most S3-compatible stores lack"
                    + " it. Use STANDARD_IA or INTELLIGENT_TIERING for rarely read media");
        } else if (!STORAGE_CLASSES.contains(storageClass)) {
            s.error(setting, "= " + configured + " is not a storage class we can use; choose one of STANDARD,"
                    + " REDUCED_REDUNDANCY, STANDARD_IA, INTELLIGENT_TIERING or ONEZONE_IA");
        }
        return storageClass;
    }

    private static Optional<SseCustomerKey> sseCustomerKey(Settings s) {
        String algorithm = s.string(P + "sse-customer-algorithm");
        Optional<Secret> raw = s.secret(P + "sse-customer-key");
        if (raw.isPresent() && !algorithm.equals("AES256")) {
            s.error(P + "sse-customer-algorithm", "= " + algorithm + " is not supported: S3 knows only AES256 for SSE-C");
        }
        try {
            return raw.map(key -> SseCustomerKey.fromConfiguredString(key.value(), algorithm));
        } catch (IllegalArgumentException e) {
            s.missing(s.secretWhere(P + "sse-customer-key"), e.getMessage()); // states the length found, never the key
            return Optional.empty();
        }
    }
}

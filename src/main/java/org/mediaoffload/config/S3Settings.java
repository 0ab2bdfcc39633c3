package org.mediaoffload.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Builds {@link S3Config} from {@code offload.s3}. */
final class S3Settings {
    private static final String P = "offload.s3.";
    private static final long MIB = 1024 * 1024;

    private S3Settings() {}

    static S3Config read(SettingsReader reader, SecretReader secrets) {
        Optional<String> bucket = reader.optionalString(P + "bucket");
        if (bucket.isEmpty()) {
            reader.missing(P + "bucket", "is required: the bucket Synapse's S3 storage provider reads from"
                    + " (BUCKET in the playbook's env file)");
        }
        String prefix = reader.string(P + "prefix", "");
        checkPrefix(reader, prefix);
        String region = reader.string(P + "region", "us-east-1");
        Optional<URI> endpoint = endpoint(reader);
        boolean pathStyle = pathStyle(reader, endpoint.isPresent());
        Optional<Secret> accessKeyId = secrets.read(P + "access-key-id");
        Optional<Secret> secretAccessKey = secrets.read(P + "secret-access-key");
        Optional<Secret> sessionToken = secrets.read(P + "session-token");
        checkCredentials(reader, secrets, accessKeyId, secretAccessKey, sessionToken);
        String storageClass = StorageClassPolicy.check(reader, "STANDARD");
        Optional<SseCustomerKey> sseCustomerKey = sseCustomerKey(reader, secrets);
        Optional<Path> caBundle = reader.optionalPath(P + "ca-bundle");
        caBundle.filter(path -> !Files.isRegularFile(path) || !Files.isReadable(path)).ifPresent(path ->
                reader.error(P + "ca-bundle", "= " + path + " is not a readable file of PEM certificates"));

        return new S3Config(bucket.orElse(""), prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey,
                sessionToken, storageClass, sseCustomerKey, caBundle,
                reader.bool(P + "rewrite-unreadable", false),
                atLeast(reader, "concurrency", reader.integer(P + "concurrency", 32), 1),
                atLeast(reader, "multipart-threshold", reader.bytes(P + "multipart-threshold", 64 * MIB), 1),
                partSize(reader),
                atLeast(reader, "max-attempts", reader.integer(P + "max-attempts", 5), 1),
                positive(reader, "request-timeout", reader.duration(P + "request-timeout", Duration.ofMinutes(5))),
                atLeast(reader, "bandwidth-limit", reader.bytes(P + "bandwidth-limit", 0), 0));
    }

    private static void checkPrefix(SettingsReader reader, String prefix) {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            reader.warning(P + "prefix", "= \"" + prefix + "\" does not end with \"/\"; as upstream, it is prepended"
                    + " verbatim, so keys look like " + prefix + "local_content/... (Synapse's provider must have"
                    + " the same prefix)");
        }
    }

    private static Optional<URI> endpoint(SettingsReader reader) {
        return reader.optionalString(P + "endpoint").flatMap(text -> {
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
            reader.error(P + "endpoint", "must be an http:// or https:// URL with a host (and no user:password@),"
                    + " e.g. https://s3.example.com");
            return Optional.empty();
        });
    }

    private static boolean pathStyle(SettingsReader reader, boolean hasEndpoint) {
        Optional<ConfigValue> value = reader.value(P + "path-style");
        if (value.isEmpty() || value.get().valueType() == ConfigValueType.STRING
                && "auto".equalsIgnoreCase((String) value.get().unwrapped())) {
            // Most S3-compatible stores lack wildcard DNS for virtual-hosted buckets; AWS itself prefers it.
            return hasEndpoint;
        }
        return reader.bool(P + "path-style", hasEndpoint);
    }

    private static void checkCredentials(SettingsReader reader, SecretReader secrets, Optional<Secret> accessKeyId,
            Optional<Secret> secretAccessKey, Optional<Secret> sessionToken) {
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            String set = accessKeyId.isPresent() ? "access-key-id" : "secret-access-key";
            String unset = accessKeyId.isPresent() ? "secret-access-key" : "access-key-id";
            reader.missing(P + unset, "is missing while " + secrets.where(P + set) + " is set; give both,"
                    + " or neither to use the SDK's default credentials (e.g. an instance profile)");
        }
        if (sessionToken.isPresent() && accessKeyId.isEmpty()) {
            reader.error(P + "session-token", "is set without access-key-id and secret-access-key");
        }
    }

    private static Optional<SseCustomerKey> sseCustomerKey(SettingsReader reader, SecretReader secrets) {
        String algorithm = reader.string(P + "sse-customer-algorithm", "AES256");
        Optional<Secret> raw = secrets.read(P + "sse-customer-key");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (!algorithm.equals("AES256")) {
            reader.error(P + "sse-customer-algorithm", "= " + algorithm + " is not supported: S3 knows only AES256"
                    + " for SSE-C");
        }
        try {
            return Optional.of(SseCustomerKey.fromConfiguredString(raw.get().value(), algorithm));
        } catch (IllegalArgumentException e) {
            // The message states the length found, never the key.
            reader.missing(secrets.where(P + "sse-customer-key"), e.getMessage());
            return Optional.empty();
        }
    }

    private static long partSize(SettingsReader reader) {
        long partSize = reader.bytes(P + "multipart-part-size", 8 * MIB);
        if (partSize < 5 * MIB || partSize > 5L * 1024 * MIB) {
            reader.error(P + "multipart-part-size", "= " + partSize + " bytes must be between 5MiB and 5GiB"
                    + " (S3's limits for a part)");
            return 8 * MIB;
        }
        return partSize;
    }

    private static int atLeast(SettingsReader reader, String key, int value, int minimum) {
        if (value < minimum) {
            reader.error(P + key, "= " + value + " must be at least " + minimum);
        }
        return value;
    }

    private static long atLeast(SettingsReader reader, String key, long value, long minimum) {
        if (value < minimum) {
            reader.error(P + key, "= " + value + " must be at least " + minimum);
        }
        return value;
    }

    private static Duration positive(SettingsReader reader, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            reader.error(P + key, "must be longer than zero");
        }
        return value;
    }
}

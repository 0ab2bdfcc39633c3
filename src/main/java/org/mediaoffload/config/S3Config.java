package org.mediaoffload.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The bucket and how to talk to it. Credentials are optional: without them the SDK's default chain
 * (environment, profile, instance profile) is used, as the playbook's {@code ec2_instance_profile} expects.
 *
 * @param prefix             prepended verbatim to the media-store-relative path; no slash is added (upstream)
 * @param concurrency        requests in flight at once
 * @param multipartThreshold files at least this large are sent as multipart uploads
 * @param multipartConcurrency multipart uploads in flight at once (each holds one part in memory), whatever
 *                           {@code concurrency} is: single-part PUTs hold at most 1 MiB, parts 8 MiB or more
 * @param bandwidthLimit     bytes per second for uploads, 0 for no limit
 * @param rewriteUnreadable  overwrite objects our SSE-C key cannot read (otherwise they are reported and kept)
 */
public record S3Config(
        String bucket,
        String prefix,
        String region,
        Optional<URI> endpoint,
        boolean pathStyle,
        Optional<Secret> accessKeyId,
        Optional<Secret> secretAccessKey,
        Optional<Secret> sessionToken,
        String storageClass,
        Optional<SseCustomerKey> sseCustomerKey,
        Optional<Path> caBundle,
        boolean rewriteUnreadable,
        int concurrency,
        long multipartThreshold,
        long multipartPartSize,
        int multipartConcurrency,
        int maxAttempts,
        Duration requestTimeout,
        long bandwidthLimit) {

    /**
     * The one check of the key pair, which the loader and the client factory report: the half that is missing
     * ({@code secret-access-key} or {@code access-key-id}) when only one is set. Neither is fine: the SDK's chain.
     */
    public Optional<String> missingKeyHalf() {
        if (accessKeyId.isPresent() == secretAccessKey.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(accessKeyId.isPresent() ? "secret-access-key" : "access-key-id");
    }

    /** The object key for a path relative to the media store: upstream's plain concatenation. */
    public String keyFor(String relativePath) {
        return prefix + relativePath;
    }
}

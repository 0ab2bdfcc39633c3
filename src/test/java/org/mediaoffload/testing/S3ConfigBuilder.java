package org.mediaoffload.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.Secret;
import org.mediaoffload.config.SseCustomerKey;

/**
 * {@link S3Config} for tests without its 18-argument constructor: start from a config ({@link #from}) or from
 * {@link S3TestConfigs}' choices and change what the test is about, e.g.
 * {@code S3ConfigBuilder.from(base).secretAccessKey("wrong").maxAttempts(1).build()}. A field added to S3Config
 * then needs one change here instead of one per test.
 */
public final class S3ConfigBuilder {
    private String bucket;
    private String prefix = "";
    private String region = S3ProxyServer.REGION;
    private Optional<URI> endpoint = Optional.empty();
    private boolean pathStyle = true;
    private Optional<Secret> accessKeyId = Optional.empty();
    private Optional<Secret> secretAccessKey = Optional.empty();
    private Optional<Secret> sessionToken = Optional.empty();
    private String storageClass = "STANDARD";
    private Optional<SseCustomerKey> sseCustomerKey = Optional.empty();
    private Optional<Path> caBundle = Optional.empty();
    private boolean rewriteUnreadable;
    private int concurrency = 8;
    private long multipartThreshold = 8 * S3TestConfigs.MIB;
    private long multipartPartSize = 5 * S3TestConfigs.MIB;
    private int multipartConcurrency = 8;
    private int maxAttempts = 3;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private long bandwidthLimit;

    private S3ConfigBuilder(String bucket) {
        this.bucket = bucket;
    }

    /** Path style, 8 requests, multipart from 8 MiB in 5 MiB parts (8 at once), 3 attempts, 30 s; no keys, no SSE-C. */
    public static S3ConfigBuilder forBucket(String bucket) {
        return new S3ConfigBuilder(bucket);
    }

    public static S3ConfigBuilder from(S3Config c) {
        return new S3ConfigBuilder(c.bucket()).prefix(c.prefix()).region(c.region()).endpoint(c.endpoint())
                .pathStyle(c.pathStyle()).accessKeyId(c.accessKeyId()).secretAccessKey(c.secretAccessKey())
                .sessionToken(c.sessionToken()).storageClass(c.storageClass()).sseCustomerKey(c.sseCustomerKey())
                .caBundle(c.caBundle()).rewriteUnreadable(c.rewriteUnreadable()).concurrency(c.concurrency())
                .multipartThreshold(c.multipartThreshold()).multipartPartSize(c.multipartPartSize())
                .multipartConcurrency(c.multipartConcurrency())
                .maxAttempts(c.maxAttempts()).requestTimeout(c.requestTimeout()).bandwidthLimit(c.bandwidthLimit());
    }

    public S3Config build() {
        return new S3Config(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sessionToken,
                storageClass, sseCustomerKey, caBundle, rewriteUnreadable, concurrency, multipartThreshold,
                multipartPartSize, multipartConcurrency, maxAttempts, requestTimeout, bandwidthLimit);
    }

    public S3ConfigBuilder bucket(String value) {
        bucket = value;
        return this;
    }

    public S3ConfigBuilder prefix(String value) {
        prefix = value;
        return this;
    }

    public S3ConfigBuilder region(String value) {
        region = value;
        return this;
    }

    public S3ConfigBuilder endpoint(Optional<URI> value) {
        endpoint = value;
        return this;
    }

    public S3ConfigBuilder pathStyle(boolean value) {
        pathStyle = value;
        return this;
    }

    /** Both keys at once, as they are always set. */
    public S3ConfigBuilder credentials(String accessKey, String secretKey) {
        return accessKeyId(Optional.of(new Secret(accessKey))).secretAccessKey(Optional.of(new Secret(secretKey)));
    }

    public S3ConfigBuilder accessKeyId(Optional<Secret> value) {
        accessKeyId = value;
        return this;
    }

    public S3ConfigBuilder secretAccessKey(Optional<Secret> value) {
        secretAccessKey = value;
        return this;
    }

    public S3ConfigBuilder sessionToken(Optional<Secret> value) {
        sessionToken = value;
        return this;
    }

    public S3ConfigBuilder storageClass(String value) {
        storageClass = value;
        return this;
    }

    /** The configured SSE-C string (32 UTF-8 bytes), as in {@code offload.s3.sse-customer-key}; AES256. */
    public S3ConfigBuilder sseKey(Optional<String> configured) {
        return sseCustomerKey(configured.map(k -> SseCustomerKey.fromConfiguredString(k, "AES256")));
    }

    public S3ConfigBuilder sseCustomerKey(Optional<SseCustomerKey> value) {
        sseCustomerKey = value;
        return this;
    }

    public S3ConfigBuilder caBundle(Optional<Path> value) {
        caBundle = value;
        return this;
    }

    public S3ConfigBuilder rewriteUnreadable(boolean value) {
        rewriteUnreadable = value;
        return this;
    }

    public S3ConfigBuilder concurrency(int value) {
        concurrency = value;
        return this;
    }

    public S3ConfigBuilder multipartThreshold(long value) {
        multipartThreshold = value;
        return this;
    }

    public S3ConfigBuilder multipartPartSize(long value) {
        multipartPartSize = value;
        return this;
    }

    public S3ConfigBuilder multipartConcurrency(int value) {
        multipartConcurrency = value;
        return this;
    }

    public S3ConfigBuilder maxAttempts(int value) {
        maxAttempts = value;
        return this;
    }

    public S3ConfigBuilder requestTimeout(Duration value) {
        requestTimeout = value;
        return this;
    }

    public S3ConfigBuilder bandwidthLimit(long value) {
        bandwidthLimit = value;
        return this;
    }
}

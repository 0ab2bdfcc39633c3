package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.Secret;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the one {@link S3Client} the daemon uses, with settings that work on AWS and on S3-compatible stores. */
public final class S3ClientFactory {
    /** Extra pooled connections beyond {@code concurrency}: listings, probes and aborts run beside uploads. */
    private static final int SPARE_CONNECTIONS = 4;

    /** Fail fast on an unreachable endpoint (the SDK's default 2 s is tight for a WAN store). */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * What the SDK's Apache client takes a proxy from (its defaults read both the system properties and the
     * environment).
     */
    private static final List<String> PROXY_VARIABLES = List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY",
            "http_proxy");
    private static final List<String> PROXY_PROPERTIES = List.of("https.proxyHost", "http.proxyHost");

    private S3ClientFactory() {}

    /** Whether the environment or the JVM's properties name an HTTP(S) proxy, which the Apache client would use. */
    static boolean proxyConfigured(Map<String, String> environment, Properties properties) {
        return PROXY_VARIABLES.stream().map(environment::get).anyMatch(v -> v != null && !v.isBlank())
                || PROXY_PROPERTIES.stream().map(properties::getProperty).anyMatch(v -> v != null && !v.isBlank());
    }

    /**
     * @throws IllegalArgumentException naming the setting when the CA bundle or the credentials are unusable
     */
    public static S3Client create(S3Config config) {
        return builder(config).build();
    }

    /**
     * The client with its HTTP client and credentials provider kept, for the store: its PutObjects go on the same
     * pool with the same credentials, past the SDK's request pipeline ({@link LeanPut}).
     *
     * @throws IllegalArgumentException naming the setting when the CA bundle or the credentials are unusable
     */
    public static S3Connection connect(S3Config config) {
        return connect(config, UnaryOperator.identity());
    }

    /** As {@link #connect(S3Config)}, with the HTTP client wrapped (tests that look at the wire). */
    static S3Connection connect(S3Config config, UnaryOperator<SdkHttpClient> wrap) {
        AwsCredentialsProvider credentials = credentials(checked(config));
        SdkHttpClient http = wrap.apply(httpClient(config));
        SdkHttpClient putHttp = http;
        try {
            // The lean PUTs' own client has no proxy support: behind a proxy they share the Apache client's pool.
            if (!proxyConfigured(System.getenv(), System.getProperties())) {
                putHttp = wrap.apply(SocketHttpClient.create(config, CONNECT_TIMEOUT, connections(config)));
            }
            RetryStrategy retries = retryStrategy(config);
            S3Client client = configured(config, retries).httpClient(http).credentialsProvider(credentials).build();
            return new S3Connection(client, http, putHttp, credentials, retries);
        } catch (RuntimeException e) {
            http.close();
            if (putHttp != http) {
                putHttp.close();
            }
            throw e;
        }
    }

    /** The configured builder, for tests that add an interceptor to see the wire. */
    static S3ClientBuilder builder(S3Config config) {
        return configured(checked(config), retryStrategy(config)).httpClient(httpClient(config))
                .credentialsProvider(credentials(config));
    }

    private static S3Config checked(S3Config config) {
        requireNonNull(config, "config is null");
        if (config.region() == null || config.region().isBlank()) {
            throw new IllegalArgumentException("offload.s3.region (or AWS_DEFAULT_REGION) must be set: SigV4 signs"
                    + " every request with it (MinIO and most S3-compatible stores accept us-east-1)");
        }
        return config;
    }

    /**
     * Everything but the HTTP client and the credentials, which {@link #connect} shares with {@link LeanPut}, as it
     * shares the retry strategy.
     */
    private static S3ClientBuilder configured(S3Config config, RetryStrategy retries) {
        S3ClientBuilder builder = S3Client.builder()
                // SigV4 always signs a region; never fall back to the SDK's region chain, which fails on
                // hosts without AWS configuration and guesses wrong for non-AWS stores.
                .region(Region.of(config.region()))
                // MinIO, Garage and Ceph without wildcard DNS cannot serve virtual-hosted bucket names.
                .forcePathStyle(config.pathStyle())
                // The 2025 SDK default (CRC32 trailers over aws-chunked) is rejected by B2, Ceph, older MinIO
                // and others. We send our own Content-MD5 instead, which every S3 store verifies.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder()
                        // Expect: 100-continue costs one extra round trip per PUT and UploadPart before the
                        // body is sent; for 5 KB thumbnails that is a large share of the request time.
                        .expectContinueEnabled(false)
                        .build())
                .overrideConfiguration(o -> o
                        // Standard retries back off exponentially with jitter on throttling (503 SlowDown,
                        // 429) and 5xx; the attempt count is the operator's (default 3 is short for a daemon).
                        .retryStrategy(retries)
                        // A stalled attempt must not hold a worker forever; large paced bodies get more
                        // time per request (see S3ObjectStore).
                        .apiCallAttemptTimeout(config.requestTimeout()));
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    /** Connections per pool: one per transfer thread and the spares. */
    private static int connections(S3Config config) {
        return Math.max(config.concurrency(), 1) + SPARE_CONNECTIONS;
    }

    private static RetryStrategy retryStrategy(S3Config config) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(config.maxAttempts()).build();
    }

    // ApacheHttpClient (HttpClient 4) is deprecated since SDK 2.5x in favour of Apache5HttpClient; it is what the
    // pom declares and it still gets critical fixes. Moving means swapping the apache-client dependency for
    // apache5-client and this builder for Apache5HttpClient.builder() (same settings).
    @SuppressWarnings("deprecation")
    private static SdkHttpClient httpClient(S3Config config) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                // The SDK default pool is 50: fewer than a high concurrency setting, and requests beyond the
                // pool queue and then fail with acquire timeouts.
                .maxConnections(connections(config))
                .connectionTimeout(CONNECT_TIMEOUT)
                // A server that stops answering mid-response is noticed within one request timeout.
                .socketTimeout(config.requestTimeout())
                .connectionAcquisitionTimeout(config.requestTimeout())
                // Keep-alive probes let a NAT or firewall in between keep idle pooled connections alive.
                .tcpKeepAlive(true)
                // Belt and braces with S3Configuration.expectContinueEnabled(false): the HTTP layer must not
                // add the header either.
                .expectContinueEnabled(false);
        config.caBundle().ifPresent(pem -> {
            var trustManagers = PemTrustManagers.fromPemFile(pem);
            http.tlsTrustManagersProvider(() -> trustManagers);
        });
        return http.build();
    }

    private static AwsCredentialsProvider credentials(S3Config config) {
        config.missingKeyHalf().ifPresent(unset -> {
            throw new IllegalArgumentException("offload.s3." + unset + " is missing while the other half of the key"
                    + " pair is set; set both, or neither to use the instance profile");
        });
        if (config.accessKeyId().isEmpty()) {
            // No keys anywhere: environment, profile, then the instance profile (the playbook's
            // ec2_instance_profile mode).
            return DefaultCredentialsProvider.builder().build();
        }
        String id = config.accessKeyId().map(Secret::value).orElseThrow();
        String secret = config.secretAccessKey().map(Secret::value).orElseThrow();
        AwsCredentials credentials = config.sessionToken()
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(id, secret, token.value()))
                .orElseGet(() -> AwsBasicCredentials.create(id, secret));
        return StaticCredentialsProvider.create(credentials);
    }
}

package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.IoUtils;

/**
 * The {@link S3Client} and the two things it was built on, shared with the lean PutObject path ({@link LeanPut}):
 * the HTTP client for everything but the lean PUTs (which get one of their own: {@link #putHttp()}), one credentials provider (which caches instance-profile credentials) and one retry
 * strategy (with its retry quota) for every request. {@link #close()} closes all three: an S3Client does not close an HTTP client or provider it was given.
 */
public final class S3Connection implements AutoCloseable {
    private final S3Client client;
    private final SdkHttpClient http;
    private final SdkHttpClient putHttp;
    private final AwsCredentialsProvider credentials;
    private final RetryStrategy retries;

    S3Connection(S3Client client, SdkHttpClient http, SdkHttpClient putHttp, AwsCredentialsProvider credentials,
            RetryStrategy retries) {
        this.client = requireNonNull(client, "client is null");
        this.http = requireNonNull(http, "http is null");
        this.putHttp = requireNonNull(putHttp, "putHttp is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.retries = requireNonNull(retries, "retries is null");
    }

    public S3Client client() {
        return client;
    }

    SdkHttpClient http() {
        return http;
    }

    /** The HTTP client of the lean PUTs: {@link SocketHttpClient}, or {@link #http()} behind a proxy. */
    SdkHttpClient putHttp() {
        return putHttp;
    }

    AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** The client's retry strategy: same decisions, backoff and retry quota for the lean PUTs. */
    RetryStrategy retries() {
        return retries;
    }

    @Override
    public void close() {
        client.close();
        http.close();
        if (putHttp != http) {
            putHttp.close();
        }
        if (credentials instanceof AutoCloseable closeable) {
            IoUtils.closeQuietlyV2(closeable, null);
        }
    }
}

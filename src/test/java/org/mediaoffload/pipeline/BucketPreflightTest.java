package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/** The bucket preflight with credentials that may not list the bucket (a supported mode). */
class BucketPreflightTest {
    @TempDir
    Path tmp;

    @Test
    void withoutListPermissionAGetOfAnAbsentKeyLetsTheRunGoOn() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.builder().middleware(NoListBucket::new).start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, s3)) {
            h.addLocal("noListAAAAAAAAAAAAAAAAAA", bytes(700, 1), 3 * DAY_MS);
            // Without ListBucket no sample can pin the target (the target rule), so it is pinned as check-config
            // or accept-target would.
            h.pinTarget();

            RunSummary summary = h.run();

            assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(summary.filesDeleted()).isEqualTo(1);
            assertThat(h.requests.count("GetObject")).as("the preflight's probe of an absent key").isEqualTo(1);
        }
    }

    @Test
    void withoutListPermissionAMissingBucketStillEndsTheRunNamingTheSetting() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.builder().middleware(NoListBucket::new).start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, s3)) {
            h.addLocal("noBucketBBBBBBBBBBBBBBBB", bytes(700, 1), 3 * DAY_MS);
            s3.adminClient().deleteBucket(b -> b.bucket(h.bucket()));

            RunSummary summary = h.run();

            assertThat(summary.status()).isEqualTo(RunStatus.MISCONFIGURED);
            assertThat(summary.errors()).singleElement().asString().contains("NoSuchBucket")
                    .contains("offload.s3.bucket");
            assertThat(h.requests.count("PutObject")).isZero();
            assertThat(h.localExists(localOriginal("noBucketBBBBBBBBBBBBBBBB"))).isTrue();
        }
    }

    @Test
    void anUntrustedCertificateEndsTheRunAtOnceNamingTheSetting() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, s3)) {
            h.addLocal("tlsCCCCCCCCCCCCCCCCCCCCC", bytes(700, 1), 3 * DAY_MS);
            // Without offload.s3.ca-bundle the server's self-signed certificate is not trusted.
            h.trustServerCertificate = false;

            RunSummary summary = h.run();

            assertThat(summary.status()).isEqualTo(RunStatus.MISCONFIGURED);
            assertThat(summary.errors()).singleElement().asString().contains("offload.s3.ca-bundle");
            assertThat(h.requests.count("PutObject")).isZero();
            assertThat(h.localExists(localOriginal("tlsCCCCCCCCCCCCCCCCCCCCC"))).isTrue();
        }
    }

    @Test
    void anEndpointWhoseHostDoesNotResolveEndsTheRunAtOnceNamingTheSetting() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, s3)) {
            h.addLocal("dnsDDDDDDDDDDDDDDDDDDDDD", bytes(700, 1), 3 * DAY_MS);
            h.endpointOverride = Optional.of(URI.create("https://no-such-host.invalid:" + s3.securePort()));

            RunSummary summary = h.run();

            assertThat(summary.status()).isEqualTo(RunStatus.MISCONFIGURED);
            assertThat(summary.errors()).singleElement().asString().contains("offload.s3.endpoint");
            assertThat(h.localExists(localOriginal("dnsDDDDDDDDDDDDDDDDDDDDD"))).isTrue();
        }
    }

    /** Credentials without s3:ListBucket: every listing is refused with AccessDenied. */
    private static final class NoListBucket extends ForwardingBlobStore {
        NoListBucket(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            throw new S3ProxyException(S3ErrorCode.ACCESS_DENIED);
        }
    }
}

package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mediaoffload.audit.AuditBucket;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3Store;
import org.mediaoffload.testing.S3TestConfigs;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * What the audit reports about the bucket (GetBucketVersioning, GetObjectLockConfiguration), against a store that
 * implements both: Ceph RGW. (S3Proxy implements versioning only: {@code MediaAuditTest}.)
 */
@S3Store(S3Store.Kind.RGW)
class AuditBucketFeaturesRgwTest extends S3ProxyTestBase {

    @Test
    void aPlainBucketIsNeitherVersionedNorLocked() {
        assertThat(features(newBucket("plain"))).isEqualTo(new AuditBucket.Features("Off", "Off"));
    }

    @Test
    void aVersionedBucketIsReportedSo() {
        String bucket = newBucket("versioned");
        server.adminClient().putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));

        assertThat(features(bucket)).isEqualTo(new AuditBucket.Features("Enabled", "Off"));
    }

    @Test
    void aBucketWithObjectLockIsReportedSo() {
        String bucket = "locked-" + UUID.randomUUID().toString().substring(0, 8);
        server.adminClient().createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));

        // Object Lock turns versioning on with it.
        assertThat(features(bucket)).isEqualTo(new AuditBucket.Features("Enabled", "Enabled"));
    }

    private static AuditBucket.Features features(String bucket) {
        try (S3AuditBucket audit = new S3AuditBucket(
                S3TestConfigs.forServer(server, bucket, "", Optional.of(S3ObjectStoreTest.KEY)),
                S3RequestObserver.NONE)) {
            return audit.features();
        }
    }
}

package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.testing.RgwServer;
import org.mediaoffload.testing.S3ConfigBuilder;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3Store;
import org.mediaoffload.testing.S3TestConfigs;

/**
 * Ceph RGW refuses a storage class its zone does not define with a bare {@code 400 InvalidArgument}, and SSE-C over
 * plain HTTP with a bare {@code 400 InvalidRequest}: check-config and the run name the likely cause (UploadRefusal)
 * instead of AWS's BlockedEncryptionTypes or nothing.
 */
@S3Store(S3Store.Kind.RGW)
class RgwRefusalsTest extends S3ProxyTestBase {
    static final String KEY = S3ObjectStoreTest.KEY;
    /** Valid for us and AWS, not defined in the test cluster's zone (it has STANDARD and STANDARD_IA). */
    static final String UNDEFINED_CLASS = "INTELLIGENT_TIERING";

    @TempDir
    Path dir;
    String bucket;

    @BeforeEach
    void newBucket() {
        bucket = newBucket("refuse");
    }

    private S3Config withStorageClass(S3Config c, String storageClass) {
        return S3ConfigBuilder.from(c).storageClass(storageClass).maxAttempts(1).build();
    }

    private S3Config overHttp() {
        return S3TestConfigs.forEndpoint(server, ((RgwServer) server).httpEndpoint(), bucket, "media/",
                Optional.of(KEY));
    }

    private List<String> bucketKeys() {
        return server.adminClient().listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key())
                .toList();
    }

    @Test
    void checkConfigConfirmsAnUndefinedStorageClassAndSaysHowToDefineIt() {
        S3Config config = withStorageClass(S3TestConfigs.forServer(server, bucket, "media/", Optional.of(KEY)),
                UNDEFINED_CLASS);

        List<ProbeResult> results = BucketProbeTest.probe(config);

        assertThat(results).hasSize(2);
        assertThat(results.get(1).ok()).isFalse();
        assertThat(results.get(1).message()).contains("HTTP 400", "InvalidArgument",
                "the store does not define storage class " + UNDEFINED_CLASS, "offload.s3.storage-class = STANDARD",
                "radosgw-admin zonegroup placement add", "--storage-class " + UNDEFINED_CLASS)
                .doesNotContain("BlockedEncryptionTypes").doesNotContain(KEY);
        assertThat(bucketKeys()).as("the STANDARD probe object is removed").isEmpty();
    }

    @Test
    void checkConfigSaysSseCNeedsHttpsInsteadOfBlockedEncryptionTypes() {
        List<ProbeResult> results = BucketProbeTest.probe(overHttp());

        assertThat(results).hasSize(2);
        assertThat(results.get(0).ok()).isTrue();
        assertThat(results.get(1).ok()).isFalse();
        assertThat(results.get(1).message()).contains("HTTP 400", "InvalidRequest", "over plain HTTP",
                "offload.s3.endpoint", "https://", "rgw_crypt_require_ssl")
                .doesNotContain("BlockedEncryptionTypes").doesNotContain(KEY);
        assertThat(bucketKeys()).as("the plain probe object is removed").isEmpty();
    }

    @Test
    void theRunsUploadErrorNamesTheLikelyCause() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[100]);
        Path big = Files.write(dir.resolve("big"), new byte[(int) (9 * S3TestConfigs.MIB)]);
        S3Config undefinedClass = withStorageClass(S3TestConfigs.forServer(server, bucket, "", Optional.of(KEY)),
                UNDEFINED_CLASS);
        try (S3ObjectStore store = S3ObjectStore.create(undefinedClass, S3RequestObserver.NONE)) {
            for (Path source : List.of(file, big)) {
                ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                        () -> store.put("k", source, Files.size(source)));
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.errorCode()).isEqualTo("InvalidArgument");
                assertThat(e.getMessage()).contains("likely does not define storage class " + UNDEFINED_CLASS,
                        "check-config", "offload.s3.storage-class = STANDARD");
            }
        }
        try (S3ObjectStore store = S3ObjectStore.create(overHttp(), S3RequestObserver.NONE)) {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                    () -> store.put("k", file, 100));
            assertThat(e.errorCode()).isEqualTo("InvalidRequest");
            assertThat(e.getMessage()).contains("likely refuses SSE-C over plain HTTP", "https://").doesNotContain(KEY);
        }
        assertThat(bucketKeys()).isEmpty();
        assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
}

package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3TestConfigs;
import org.mediaoffload.testing.ToxicProxy;

/** Outages simulated with real sockets: a TCP proxy that refuses or cuts connections in front of S3Proxy. */
class S3ObjectStoreOutageTest extends S3ProxyTestBase {
    static final String KEY = S3ObjectStoreTest.KEY;

    @TempDir
    Path dir;
    ToxicProxy toxic;
    String bucket;
    S3Config config;
    final List<String> operations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        bucket = newBucket("outage");
        toxic = new ToxicProxy(server.securePort());
        config = S3TestConfigs.forEndpoint(server, toxic.httpsEndpoint(), bucket, "", Optional.of(KEY));
    }

    @AfterEach
    void tearDown() throws IOException {
        toxic.close();
    }

    Path file(int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve("f" + size), data);
    }

    @Test
    void refusedConnectionsLookLikeAnOutage() throws IOException {
        Path source = file(1000);
        try (S3ObjectStore store = new S3ObjectStore(S3ClientFactory.connect(config), config, S3RequestObserver.NONE)) {
            toxic.refuse();

            ObjectStoreException put = catchThrowableOfType(ObjectStoreException.class, () -> store.put("k", source, 1000));
            ObjectStoreException head = catchThrowableOfType(ObjectStoreException.class, () -> store.head("k"));

            assertThat(put.status()).isZero();
            assertThat(put.looksLikeOutage()).isTrue();
            assertThat(head.looksLikeOutage()).isTrue();
            assertThat(put.getMessage()).contains("PutObject", "no response").doesNotContain(KEY);

            toxic.forward();
            assertThat(store.put("k", source, 1000).acknowledged()).as("works again once the store is back").isTrue();
        }
    }

    @Test
    void connectionCutMidPartAbortsTheMultipartUpload() throws IOException {
        int size = (int) (12 * S3TestConfigs.MIB);
        Path source = file(size);
        S3RequestObserver outageDuringSecondPart = (op, status, nanos) -> {
            operations.add(op + " " + status);
            if (op.equals("UploadPart") && status == 200) {
                toxic.cutAfterUpstreamBytes(S3TestConfigs.MIB); // mid-way through the next part, then refuse
            } else if (op.equals("UploadPart") && status == 0) {
                toxic.forward(); // the store is back in time for the abort
            }
        };
        try (S3ObjectStore store = new S3ObjectStore(S3ClientFactory.connect(config), config, outageDuringSecondPart)) {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                    () -> store.put("video", source, size));

            assertThat(e.looksLikeOutage()).isTrue();
            assertThat(store.head("video")).isEqualTo(new HeadResult.Absent());
        }
        assertThat(operations).containsSubsequence("UploadPart 200", "UploadPart 0", "AbortMultipartUpload 204");
        assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    /** Known limit: when the store stays down, the abort cannot reach it either; the failure says so. */
    @Test
    void abortThatCannotReachTheStoreIsReportedOnTheFailure() throws IOException {
        int size = (int) (12 * S3TestConfigs.MIB);
        Path source = file(size);
        S3RequestObserver outageAfterFirstPart = (op, status, nanos) -> {
            if (op.equals("UploadPart") && status == 200) {
                toxic.cutAfterUpstreamBytes(S3TestConfigs.MIB);
            }
        };
        try (S3ObjectStore store = new S3ObjectStore(S3ClientFactory.connect(config), config, outageAfterFirstPart)) {
            ObjectStoreException e = catchThrowableOfType(ObjectStoreException.class,
                    () -> store.put("video", source, size));

            assertThat(e.getSuppressed()).singleElement().satisfies(abort ->
                    assertThat(abort.getMessage()).contains("AbortMultipartUpload", "no response"));
        }
        toxic.forward();
        assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).hasSize(1);
    }
}

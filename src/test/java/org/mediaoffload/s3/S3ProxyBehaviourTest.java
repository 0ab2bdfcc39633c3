package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3TestConfigs;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What S3Proxy 4.1.1 ({@code transient-nio2}) gives a content proof, as the README's store table states it; the
 * same facts for Ceph RGW are in {@link RgwBehaviourTest}.
 */
class S3ProxyBehaviourTest extends S3ProxyTestBase {
    static final String KEY = S3ObjectStoreTest.KEY;

    @TempDir
    Path dir;
    String bucket;

    @BeforeEach
    void newBucket() {
        bucket = newBucket("facts");
    }

    private HeadObjectResponse headWithKey(String key) {
        SseCustomerKey k = SseCustomerKey.fromConfiguredString(KEY, "AES256");
        return server.adminClient().headObject(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.keyBase64()).sseCustomerKeyMD5(k.keyMd5Base64()));
    }

    private Path file(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    @Test
    void etagsOfOurSseCUploadsAreThePlaintextMd5AndTheDashNForm() throws IOException {
        Path one = file("one", 70_000);
        Path big = file("big", (int) (12 * S3TestConfigs.MIB + 5));
        try (S3ObjectStore store = S3ObjectStore.create(S3TestConfigs.forServer(server, bucket, "", Optional.of(KEY)),
                S3RequestObserver.NONE)) {
            store.put("one", one, Files.size(one));
            store.put("big", big, Files.size(big));
        }
        byte[] bytes = Files.readAllBytes(one);

        HeadObjectResponse head = headWithKey("one");
        assertThat(head.eTag()).isEqualTo("\"" + Md5.hex(Md5.of(bytes, bytes.length)) + "\"");
        assertThat(head.sseCustomerKeyMD5()).as("HEAD echoes our key")
                .isEqualTo(SseCustomerKey.fromConfiguredString(KEY, "AES256").keyMd5Base64());
        assertThat(headWithKey("big").eTag()).endsWith("-3\"");
    }

    @Test
    void aWrongChecksumIsRefusedAndSseCHeadersOnAPlainObjectAre400() {
        S3Exception crc = catchThrowableOfType(S3Exception.class, () -> server.adminClient().putObject(
                b -> b.bucket(bucket).key("crc").checksumCRC32("AAAAAA=="), RequestBody.fromString("body")));
        assertThat(crc.statusCode()).isEqualTo(400);

        server.adminClient().putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("plain"));
        S3Exception plain = catchThrowableOfType(S3Exception.class, () -> headWithKey("plain"));
        assertThat(plain.statusCode()).isEqualTo(400);
    }
}

package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mediaoffload.audit.AuditBucket;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3TestConfigs;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The reconcile's DeleteObjects: Content-MD5 of the exact body on the wire (many stores refuse a DeleteObjects
 * without it; SDK 2.30+ sends only a CRC32 unless told), and an answer that names what was deleted.
 */
class AuditBucketDeleteTest extends S3ProxyTestBase {
    private record Sent(String operation, String contentMd5, byte[] body) {}

    @Test
    void deleteObjectsCarriesTheBodysContentMd5AndDeletesExactlyTheKeysAsked() {
        String bucket = newBucket("reconcile");
        S3Config config = S3TestConfigs.forServer(server, bucket, "p/", Optional.of(S3ObjectStoreTest.KEY));
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(S3ObjectStoreTest.KEY, "AES256");
        for (String k : List.of("p/a", "p/b", "p/c")) {
            server.adminClient().putObject(b -> b.bucket(bucket).key(k).sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()),
                    RequestBody.fromBytes(new byte[] {1, 2, 3}));
        }
        List<Sent> sent = new CopyOnWriteArrayList<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                byte[] body = context.requestBody().map(b -> read(b.contentStreamProvider().newStream()))
                        .orElse(new byte[0]);
                sent.add(new Sent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                        context.httpRequest().firstMatchingHeader("Content-MD5").orElse(null), body));
            }
        };

        AuditBucket.Deletion answer;
        try (S3AuditBucket audit = new S3AuditBucket(S3AuditBucket.clientBuilder(config)
                .overrideConfiguration(o -> o.addExecutionInterceptor(capture)).build(), config,
                S3RequestObserver.NONE)) {
            answer = audit.delete(List.of("p/a", "p/c"));
        }

        assertThat(answer.deleted()).containsExactlyInAnyOrder("p/a", "p/c");
        assertThat(answer.refused()).isEmpty();
        Sent delete = sent.stream().filter(s -> s.operation().equals("DeleteObjects")).findFirst().orElseThrow();
        assertThat(delete.contentMd5()).as("Content-MD5").isNotNull()
                .isEqualTo(Base64.getEncoder().encodeToString(Md5.newDigest().digest(delete.body())));
        assertThat(server.adminClient().listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactly("p/b");
    }

    private static byte[] read(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.testing.S3ProxyServer;
import org.mediaoffload.testing.S3TestConfigs;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** What our requests carry on the wire, seen by an SDK interceptor just before transmission. */
class WireHeadersTest {
    record Sent(String operation, Map<String, List<String>> headers) {
        boolean has(String header) {
            return headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(header));
        }

        String get(String header) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(header))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    @TempDir
    Path dir;

    @Test
    void everyUploadRequestCarriesSseCAndChecksumsAsConfigured() throws Exception {
        List<Sent> sent = new CopyOnWriteArrayList<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.add(new Sent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                        context.httpRequest().headers()));
            }
        };
        try (S3ProxyServer server = S3ProxyServer.start()) {
            server.createBucket("wire");
            S3Config config = S3TestConfigs.forServer(server, "wire", "", Optional.of(S3ObjectStoreTest.KEY));
            Path small = Files.write(dir.resolve("small"), new byte[100]);
            Path large = Files.write(dir.resolve("large"), new byte[(int) (9 * S3TestConfigs.MIB)]);
            try (S3ObjectStore store = new S3ObjectStore(
                    S3ClientFactory.builder(config).overrideConfiguration(o -> o.addExecutionInterceptor(capture)).build(),
                    config, S3RequestObserver.NONE)) {
                store.put("small", small, 100);
                store.put("large", large, 9 * S3TestConfigs.MIB);
                store.head("small");
            }
        }

        assertThat(sent).extracting(Sent::operation).containsExactly("PutObject", "CreateMultipartUpload",
                "UploadPart", "UploadPart", "CompleteMultipartUpload", "HeadObject");
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(S3ObjectStoreTest.KEY, "AES256");
        assertThat(sent).allSatisfy(s -> {
            assertThat(s.get("x-amz-server-side-encryption-customer-algorithm")).as(s.operation()).isEqualTo("AES256");
            assertThat(s.get("x-amz-server-side-encryption-customer-key")).as(s.operation()).isEqualTo(key.keyBase64());
            assertThat(s.get("x-amz-server-side-encryption-customer-key-MD5")).as(s.operation())
                    .isEqualTo(key.keyMd5Base64());
            assertThat(s.has("Expect")).as(s.operation() + " Expect: 100-continue").isFalse();
            assertThat(s.has("x-amz-trailer")).as(s.operation()).isFalse();
            assertThat(s.has("x-amz-sdk-checksum-algorithm")).as(s.operation()).isFalse();
        });
        assertThat(sent).filteredOn(s -> s.operation().equals("PutObject") || s.operation().equals("UploadPart"))
                .allSatisfy(s -> assertThat(s.has("Content-MD5")).as(s.operation()).isTrue());
        assertThat(sent).filteredOn(s -> s.operation().equals("PutObject") || s.operation().equals("CreateMultipartUpload"))
                .allSatisfy(s -> assertThat(s.get("x-amz-storage-class")).as(s.operation()).isEqualTo("STANDARD_IA"));
    }
}

package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.pipeline.ContentProofTest.probeAndRecord;
import static org.mediaoffload.pipeline.ContentProofTest.putWithOurKey;
import static org.mediaoffload.pipeline.ContentProofTest.record;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.testing.FullObjectChecksumStore;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Proof (b): a FULL_OBJECT CRC64NVME the store keeps for every object (as AWS does, which adds one to objects
 * uploaded without), trusted only where check-config's probe showed the store refuses a wrong one.
 */
class ChecksumProofTest {
    @TempDir
    Path tmp;

    @Test
    void aStoreThatKeepsRealChecksumsProvesEqualObjectsAndExposesOtherBytes() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.builder().middleware(FullObjectChecksumStore::verifying).start();
                OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, s3)) {
            byte[] same = bytes(6_000, 1);
            h.addLocal("checksumSameAAAAAAAAAAAA", same, 3 * DAY_MS);
            h.addLocal("checksumOtherBBBBBBBBBBB", bytes(6_000, 2), 3 * DAY_MS);
            // Uploaded by another tool, without any checksum: the store computed its own.
            putWithOurKey(h, localOriginal("checksumSameAAAAAAAAAAAA"), same);
            putWithOurKey(h, localOriginal("checksumOtherBBBBBBBBBBB"), bytes(6_000, 3));

            assertThat(probeAndRecord(h).refusesWrongChecksum()).isTrue();
            // S3Proxy's SSE-C ETags would prove the same objects; leave the checksum alone to decide.
            record(h, new StoreCapabilities(true, false));
            h.requests.reset();

            RunSummary summary = h.run();

            assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(summary.filesAlreadyInStore()).isEqualTo(1);
            assertThat(h.requests.count("PutObject")).as("only the object with other bytes").isEqualTo(1);
            assertThat(summary.filesDeleted()).isEqualTo(2);
            assertThat(h.objectBytes(localOriginal("checksumSameAAAAAAAAAAAA"))).contains(same);
            assertThat(h.objectBytes(localOriginal("checksumOtherBBBBBBBBBBB"))).contains(bytes(6_000, 2));
        }
    }

    @Test
    void aStoreThatAcceptsAWrongChecksumGivesNoProofEvenWhenItsClaimMatches() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.builder().middleware(FullObjectChecksumStore::claiming).start();
                OffloadHarness h = new OffloadHarness(Db.POSTGRES, tmp, s3)) {
            byte[] local = bytes(6_000, 1);
            h.addLocal("claimedCCCCCCCCCCCCCCCCC", local, 3 * DAY_MS);
            // Other bytes, stored with a checksum claim that happens to be the local file's.
            String claim = FullObjectChecksumStore.crc64nvme(local);
            putWithOurKey(h, localOriginal("claimedCCCCCCCCCCCCCCCCC"), bytes(6_000, 2), Optional.of(claim));
            assertThat(headChecksum(h, localOriginal("claimedCCCCCCCCCCCCCCCCC")).checksumCRC64NVME())
                    .as("the store returns the claim as a FULL_OBJECT checksum").isEqualTo(claim);

            StoreCapabilities found = probeAndRecord(h);
            assertThat(found.refusesWrongChecksum()).isFalse();
            record(h, new StoreCapabilities(found.refusesWrongChecksum(), false));
            h.requests.reset();

            RunSummary summary = h.run();

            assertThat(summary.filesAlreadyInStore()).isZero();
            assertThat(h.requests.count("PutObject")).isEqualTo(1);
            assertThat(summary.filesDeleted()).isEqualTo(1);
            assertThat(h.objectBytes(localOriginal("claimedCCCCCCCCCCCCCCCCC"))).contains(local);
        }
    }

    private static HeadObjectResponse headChecksum(OffloadHarness h, String relativePath) {
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
        return h.server().adminClient().headObject(r -> r.bucket(h.bucket()).key(h.key(relativePath))
                .checksumMode(ChecksumMode.ENABLED).sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64())
                .sseCustomerKeyMD5(key.keyMd5Base64()));
    }
}

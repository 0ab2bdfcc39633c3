package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;
import static org.mediaoffload.testing.OffloadHarness.remoteOriginal;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.Scrape;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Issue 10, content proof against Synapse's own hash: a local original whose bytes do not hash to its row's sha256
 * (same size, other bytes: bit rot, a restore from the wrong snapshot) is never uploaded and never deleted, on either
 * read path (the upload's, and the proof of an object already in the bucket), and is counted in a metric.
 */
class SynapseHashTest extends EngineTestBase {

    private static final String METRIC = "synapse_media_offload_local_content_mismatches_total";

    @ParameterizedTest
    @EnumSource(Db.class)
    void aCorruptedOriginalIsNeitherUploadedNorDeletedWhateverTheUploadPath(Db db) throws Exception {
        harness(db);
        // One per upload path: read into memory, hashed then streamed, multipart (8 MiB threshold in tests).
        int[] sizes = {3_000, 2 * 1024 * 1024 + 5, 12 * 1024 * 1024 + 17};
        String[] corrupt = {"smallCorruptAAAAAAAAAAAA", "streamCorruptBBBBBBBBBBB", "multiCorruptCCCCCCCCCCCC"};
        for (int i = 0; i < sizes.length; i++) {
            byte[] stored = bytes(sizes[i], i);
            h.addLocal(corrupt[i], flipOneByte(stored), 3 * DAY_MS);
            h.writeFile(localThumbDir(corrupt[i]) + "/32-32-image-png", bytes(200, 100 + i));
            setSha256("local_media_repository", corrupt[i], stored);
        }
        byte[] good = bytes(3_000, 7);
        h.addLocal("goodHashDDDDDDDDDDDDDDDD", good, 3 * DAY_MS);
        setSha256("local_media_repository", "goodHashDDDDDDDDDDDDDDDD", good);
        byte[] remoteStored = bytes(4_000, 8);
        h.addRemote("matrix.org", "remoteMedia", "remoteCorruptEEEEEEEEEEE", flipOneByte(remoteStored), 3 * DAY_MS);
        h.fixture().update("UPDATE remote_media_cache SET sha256 = ? WHERE media_id = ?", sha256(remoteStored),
                "remoteMedia");
        OffloadMetrics metrics = OffloadMetrics.create(tmp);

        RunSummary summary = h.run(false, metrics);

        for (String id : corrupt) {
            assertThat(h.localExists(localOriginal(id))).as(id).isTrue();
            assertThat(h.objectBytes(localOriginal(id))).as(id).isEmpty();
        }
        assertThat(h.localExists(remoteOriginal("matrix.org", "remoteCorruptEEEEEEEEEEE"))).isTrue();
        assertThat(h.objectBytes(remoteOriginal("matrix.org", "remoteCorruptEEEEEEEEEEE"))).isEmpty();
        // The multipart upload of the corrupted file was aborted before Complete, not left to be billed.
        assertThat(h.server().adminClient().listMultipartUploads(b -> b.bucket(h.bucket())).uploads()).isEmpty();
        // A matching hash changes nothing; thumbnails carry no hash of Synapse's and go as before.
        assertThat(h.localExists(localOriginal("goodHashDDDDDDDDDDDDDDDD"))).isFalse();
        assertThat(h.objectBytes(localOriginal("goodHashDDDDDDDDDDDDDDDD"))).contains(good);
        assertThat(h.objectBytes(localThumbDir(corrupt[0]) + "/32-32-image-png")).contains(bytes(200, 100));
        assertThat(summary.filesSkipped()).isEqualTo(4);
        assertThat(summary.filesFailed()).isZero();
        assertThat(summary.filesUploaded()).isEqualTo(1 + corrupt.length);
        assertThat(summary.errors()).filteredOn(e -> e.contains(SynapseHash.DIFFERS)).hasSize(4)
                .anyMatch(e -> e.startsWith(localOriginal(corrupt[1])) && e.contains(sha256(bytes(sizes[1], 1))));
        assertThat(Scrape.parse(metrics.scrape()).value(METRIC)).hasValue(4.0);
    }

    /**
     * The proof path: the bucket already holds the same corrupted bytes (a pre-copy of the damaged disk), which the
     * ETag would prove equal to the local file. Equal to each other is not equal to what Synapse stored: kept.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void anObjectProvenEqualToACorruptedOriginalDoesNotJustifyDeletingIt(Db db) throws Exception {
        harness(db);
        byte[] stored = bytes(5_000, 1);
        byte[] damaged = flipOneByte(stored);
        h.addLocal("precopiedDamageFFFFFFFFF", damaged, 3 * DAY_MS);
        setSha256("local_media_repository", "precopiedDamageFFFFFFFFF", stored);
        byte[] fine = bytes(5_000, 2);
        h.addLocal("precopiedFineGGGGGGGGGGG", fine, 3 * DAY_MS);
        setSha256("local_media_repository", "precopiedFineGGGGGGGGGGG", fine);
        ContentProofTest.putWithOurKey(h, localOriginal("precopiedDamageFFFFFFFFF"), damaged);
        ContentProofTest.putWithOurKey(h, localOriginal("precopiedFineGGGGGGGGGGG"), fine);
        ContentProofTest.probeAndRecord(h);
        h.requests.reset();

        RunSummary summary = h.run();

        assertThat(h.localExists(localOriginal("precopiedDamageFFFFFFFFF"))).isTrue();
        assertThat(h.localExists(localOriginal("precopiedFineGGGGGGGGGGG"))).isFalse();
        assertThat(summary.filesAlreadyInStore()).as("only the fine one is proven").isEqualTo(1);
        assertThat(h.requests.count("PutObject")).as("%s", h.requests).isZero();
        assertThat(summary.errors()).singleElement().asString().contains(SynapseHash.DIFFERS);
    }

    /** The hash is checked on the bytes read, not trusted from a previous run: a file that rots later is kept. */
    @Test
    void aFilePulledBackAndDamagedAfterItsUploadIsKept() throws Exception {
        harness(Db.SQLITE);
        byte[] stored = bytes(6_000, 3);
        h.addLocal("pulledBackHHHHHHHHHHHHHH", stored, 3 * DAY_MS);
        setSha256("local_media_repository", "pulledBackHHHHHHHHHHHHHH", stored);
        assertThat(h.run().filesDeleted()).isEqualTo(1);

        Path back = h.writeFile(localOriginal("pulledBackHHHHHHHHHHHHHH"), flipOneByte(stored));
        RunSummary again = h.run();

        assertThat(back).exists();
        assertThat(again.filesDeleted()).isZero();
        assertThat(h.objectBytes(localOriginal("pulledBackHHHHHHHHHHHHHH"))).contains(stored);
        assertThat(again.errors()).singleElement().asString().contains(SynapseHash.DIFFERS);
    }

    /**
     * Where check-config's probe showed the store verifies x-amz-checksum-sha256 (S3Proxy does), single-part uploads
     * send it, so the store itself checks the bytes it received, and keeps the checksum (HEAD in checksum mode returns
     * it; for media with Synapse's hash it is that hash). Before the probe, and for multipart uploads, nothing is sent.
     */
    @Test
    void singlePartUploadsSendTheSha256ToAStoreThatVerifiesIt() throws Exception {
        harness(Db.SQLITE);
        byte[] beforeProbe = bytes(3_000, 1);
        h.addLocal("beforeProbeIIIIIIIIIIIII", beforeProbe, 3 * DAY_MS);
        assertThat(h.run().filesUploaded()).isEqualTo(1);
        StoreCapabilities found = ContentProofTest.probeAndRecord(h);
        assertThat(found.verifiesSha256()).as("S3Proxy refuses a wrong x-amz-checksum-sha256").isTrue();

        byte[] hashed = bytes(3_000, 2);
        h.addLocal("withSynapseHashJJJJJJJJJ", hashed, 3 * DAY_MS);
        setSha256("local_media_repository", "withSynapseHashJJJJJJJJJ", hashed);
        byte[] streamed = bytes(2 * 1024 * 1024 + 5, 3);
        h.addLocal("streamedNoHashKKKKKKKKKK", streamed, 3 * DAY_MS);
        byte[] big = bytes(12 * 1024 * 1024 + 17, 4);
        h.addLocal("multipartLLLLLLLLLLLLLLL", big, 3 * DAY_MS);
        RunSummary summary = h.run();

        assertThat(summary.filesUploaded()).isEqualTo(3);
        assertThat(storedSha256("withSynapseHashJJJJJJJJJ")).contains(base64Sha256(hashed));
        assertThat(storedSha256("streamedNoHashKKKKKKKKKK")).contains(base64Sha256(streamed));
        assertThat(storedSha256("multipartLLLLLLLLLLLLLLL")).isEmpty();
        assertThat(storedSha256("beforeProbeIIIIIIIIIIIII")).isEmpty();
    }

    private java.util.Optional<String> storedSha256(String mediaId) {
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
        HeadObjectResponse head = h.server().adminClient().headObject(b -> b.bucket(h.bucket())
                .key(h.key(localOriginal(mediaId))).checksumMode(ChecksumMode.ENABLED).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()));
        return java.util.Optional.ofNullable(head.checksumSHA256());
    }

    private static String base64Sha256(byte[] content) {
        return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(content)));
    }

    private void setSha256(String table, String mediaId, byte[] content) throws Exception {
        h.fixture().update("UPDATE " + table + " SET sha256 = ? WHERE media_id = ?", sha256(content), mediaId);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Same size, other bytes: what a size check cannot see. */
    private static byte[] flipOneByte(byte[] content) {
        byte[] copy = content.clone();
        copy[copy.length / 2] ^= 0x5a;
        return copy;
    }
}

package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.s3.BucketProbe;
import org.mediaoffload.s3.S3ClientFactory;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.S3Store;
import org.mediaoffload.testing.OffloadHarness.Db;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Existing objects of the right size whose bytes may differ (issue 8 item 1): only a content proof lets them
 * justify a deletion; otherwise the file is uploaded again, and afterwards every object holds its file's bytes.
 */
class ContentProofTest extends EngineTestBase {

    @ParameterizedTest
    @EnumSource(Db.class)
    void sameSizeOtherBytesAreUploadedAgainAndNothingIsLost(Db db) throws Exception {
        harness(db);
        int media = 6;
        for (int i = 0; i < media; i++) {
            String id = String.format("stale%02dXXXXXXXXXXXXXXXXX", i);
            h.addLocal(id, bytes(2_000, i), 3 * DAY_MS);
            h.writeFile(localThumbDir(id) + "/32-32-image-png", bytes(200, 100 + i));
            // A stale copy from another snapshot: same names, same sizes, other bytes, readable with our key.
            putWithOurKey(h, localOriginal(id), bytes(2_000, 50 + i));
            putWithOurKey(h, localThumbDir(id) + "/32-32-image-png", bytes(200, 150 + i));
        }

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(summary.filesAlreadyInStore()).as("no probe recorded: size alone proves nothing").isZero();
        assertThat(summary.filesUploaded()).isEqualTo(2L * media);
        assertThat(summary.filesDeleted()).isEqualTo(2L * media);
        for (int i = 0; i < media; i++) {
            String id = String.format("stale%02dXXXXXXXXXXXXXXXXX", i);
            assertThat(h.objectBytes(localOriginal(id))).contains(bytes(2_000, i));
            assertThat(h.objectBytes(localThumbDir(id) + "/32-32-image-png")).contains(bytes(200, 100 + i));
        }
    }

    @Test
    void afterCheckConfigsProbeS3ProxysSseCETagsProveExistingObjects() throws Exception {
        harness(Db.SQLITE);
        byte[] same = bytes(3_000, 1);
        h.addLocal("sameBytesAAAAAAAAAAAAAAA", same, 3 * DAY_MS);
        h.addLocal("otherBytesBBBBBBBBBBBBBB", bytes(3_000, 2), 3 * DAY_MS);
        putWithOurKey(h, localOriginal("sameBytesAAAAAAAAAAAAAAA"), same);
        putWithOurKey(h, localOriginal("otherBytesBBBBBBBBBBBBBB"), bytes(3_000, 3));

        StoreCapabilities found = probeAndRecord(h);

        // S3Proxy 4.1.1 and Ceph RGW 16.2: the ETag of an SSE-C object is the plaintext's MD5 (unlike AWS). S3Proxy
        // also keeps checksums sent with an upload (RGW neither checks nor keeps them), but these objects were
        // uploaded without one: the ETag decides.
        // Issue 10 added the third: S3Proxy also refuses a wrong x-amz-checksum-sha256, RGW 16.2 ignores it.
        boolean s3proxy = server.kind() == S3Store.Kind.S3PROXY;
        assertThat(found).isEqualTo(new StoreCapabilities(s3proxy, true, s3proxy));
        h.requests.reset();

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(summary.filesAlreadyInStore()).isEqualTo(1);
        assertThat(summary.filesUploaded()).isEqualTo(1);
        assertThat(h.requests.count("PutObject")).isEqualTo(1);
        assertThat(h.localExists(localOriginal("sameBytesAAAAAAAAAAAAAAA"))).isFalse();
        assertThat(h.objectBytes(localOriginal("otherBytesBBBBBBBBBBBBBB"))).contains(bytes(3_000, 2));
    }

    @Test
    void aFileRewrittenInPlaceAfterItsUploadIsUploadedAgainNotDeletedAgainstTheOldObject() throws Exception {
        harness(Db.POSTGRES);
        h.addLocal("rewrittenCCCCCCCCCCCCCCC", bytes(4_000, 1), 3 * DAY_MS);
        h.addLocal("untouchedDDDDDDDDDDDDDDD", bytes(4_000, 2), 3 * DAY_MS);
        h.deleteLocal = false;
        assertThat(h.run().filesUploaded()).isEqualTo(2);

        // Rewritten in place, same size, mtime outside the quiet period: only the bytes tell.
        h.writeFile(localOriginal("rewrittenCCCCCCCCCCCCCCC"), bytes(4_000, 3));
        h.deleteLocal = true;
        h.requests.reset();
        RunSummary next = h.run();

        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.requests.count("PutObject")).as("only the rewritten file, %s", h.requests).isEqualTo(1);
        assertThat(next.filesAlreadyInStore()).as("the untouched one, proven by our journal").isEqualTo(1);
        assertThat(next.filesDeleted()).isEqualTo(2);
        assertThat(h.objectBytes(localOriginal("rewrittenCCCCCCCCCCCCCCC"))).contains(bytes(4_000, 3));
        assertThat(h.objectBytes(localOriginal("untouchedDDDDDDDDDDDDDDD"))).contains(bytes(4_000, 2));
    }

    @Test
    void ourMultipartUploadsAndEmptyFilesAreProvenByTheJournalWhenPulledBack() throws Exception {
        harness(Db.SQLITE);
        byte[] big = bytes(12 * 1024 * 1024 + 17, 1); // multipart: its ETag is not an MD5, the journal's MD5 is
        h.addLocal("bigPulledBackFFFFFFFFFFF", big, 3 * DAY_MS);
        h.addLocal("emptyPulledBackGGGGGGGGG", new byte[0], 3 * DAY_MS);
        assertThat(h.run().filesDeleted()).isEqualTo(2);
        assertThat(h.requests.count("UploadPart")).isGreaterThanOrEqualTo(3);

        // Synapse fetches both back from the bucket, later than within the same second (a listing's Last-Modified
        // has whole seconds: an ETag-less re-upload in the old object's second is kept, see ObjectBefore).
        long uploadedIn = java.time.Instant.now().getEpochSecond();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> java.time.Instant.now().getEpochSecond() > uploadedIn);
        h.writeFile(localOriginal("bigPulledBackFFFFFFFFFFF"), big);
        h.writeFile(localOriginal("emptyPulledBackGGGGGGGGG"), new byte[0]);
        h.requests.reset();
        RunSummary again = h.run();

        assertThat(again.filesDeleted()).isEqualTo(2);
        if (server.kind() == S3Store.Kind.RGW) {
            // RGW's CompleteMultipartUpload answers an empty ETag, so no journal proof was recorded for the big file:
            // it is uploaded again (never trusted on its size), the empty one is proven.
            assertThat(again.filesAlreadyInStore()).isEqualTo(1);
            assertThat(h.requests.count("PutObject")).as("%s", h.requests).isZero();
            assertThat(h.requests.count("UploadPart")).as("%s", h.requests).isGreaterThanOrEqualTo(3);
        } else {
            assertThat(again.filesAlreadyInStore()).isEqualTo(2);
            assertThat(h.requests.count("PutObject") + h.requests.count("UploadPart")).as("%s", h.requests).isZero();
        }
    }

    @Test
    void anObjectReplacedSinceOurUploadIsNotTrustedByTheJournal() throws Exception {
        harness(Db.SQLITE);
        byte[] ours = bytes(5_000, 1);
        h.addLocal("replacedEEEEEEEEEEEEEEEE", ours, 3 * DAY_MS);
        h.deleteLocal = false;
        h.run();
        // Someone else writes the key with our SSE-C key: same size, other bytes, new ETag.
        putWithOurKey(h, localOriginal("replacedEEEEEEEEEEEEEEEE"), bytes(5_000, 2));

        h.deleteLocal = true;
        h.requests.reset();
        RunSummary next = h.run();

        assertThat(h.requests.count("PutObject")).isEqualTo(1);
        assertThat(next.filesAlreadyInStore()).isZero();
        assertThat(next.filesDeleted()).isEqualTo(1);
        assertThat(h.objectBytes(localOriginal("replacedEEEEEEEEEEEEEEEE"))).contains(ours);
    }

    /**
     * Issue 8's measurement: the first migration after a pre-copy by another tool (every object already there, same
     * bytes, our SSE-C key), counted per file on S3Proxy with and without check-config's probe recorded.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aFirstMigrationAfterAPreCopyCostsAHeadAndALocalReadPerFileWhereAProofHolds(boolean probed)
            throws Exception {
        harness(Db.SQLITE);
        int media = 40;
        for (int i = 0; i < media; i++) {
            String id = String.format("precopy%02dXXXXXXXXXXXXXXX", i);
            byte[] original = bytes(3_000, i);
            byte[] thumb = bytes(300, 100 + i);
            h.addLocal(id, original, 3 * DAY_MS);
            h.writeFile(localThumbDir(id) + "/32-32-image-png", thumb);
            putWithOurKey(h, localOriginal(id), original);
            putWithOurKey(h, localThumbDir(id) + "/32-32-image-png", thumb);
        }
        if (probed) {
            probeAndRecord(h);
        }
        h.requests.reset();

        RunSummary summary = h.run();

        long files = 2L * media;
        assertThat(summary.filesDeleted()).isEqualTo(files);
        // Without check-config nothing is pinned yet: the run first samples 5 existing objects (the target rule).
        assertThat(h.requests.count("HeadObject")).isEqualTo(files + (probed ? 0 : 5));
        assertThat(h.requests.count("PutObject")).isEqualTo(probed ? 0 : files);
        assertThat(summary.filesAlreadyInStore()).isEqualTo(probed ? files : 0);
        // Sweeps: one page per tree per batch of 8 media before upload (and after, where something was uploaded),
        // plus the run's preflight.
        long batches = (media + 7) / 8;
        assertThat(h.requests.count("ListObjectsV2")).as("%s", h.requests)
                .isLessThanOrEqualTo((probed ? 1 : 3) + batches * 2 * (probed ? 1 : 2));
        System.out.printf("pre-copy, %s: %s requests for %d files (%.2f per file): %s%n",
                probed ? "probe recorded" : "no probe", h.requests.total(), files,
                h.requests.total() / (double) files, h.requests);
    }

    /**
     * What check-config --homeserver-config does with the bucket probe: run it, record what it found for this target,
     * and (the provider entry matching) pin the target.
     */
    static StoreCapabilities probeAndRecord(OffloadHarness h) {
        S3Config s3 = h.s3Config();
        StoreCapabilities found;
        try (S3Client client = S3ClientFactory.create(s3)) {
            BucketProbe probe = new BucketProbe(client, s3);
            probe.run();
            found = probe.capabilities();
        }
        record(h, found);
        h.pinTarget();
        return found;
    }

    static void record(OffloadHarness h, StoreCapabilities capabilities) {
        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(h.stateDir())) {
            capabilities.write(journal, TargetFingerprint.of(h.s3Config()));
        }
    }

    static void putWithOurKey(OffloadHarness h, String relativePath, byte[] content) {
        putWithOurKey(h, relativePath, content, Optional.empty());
    }

    static void putWithOurKey(OffloadHarness h, String relativePath, byte[] content, Optional<String> crc64nvme) {
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(h.bucket()).key(h.key(relativePath))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64());
        crc64nvme.ifPresent(put::checksumCRC64NVME);
        h.server().adminClient().putObject(put.build(), RequestBody.fromBytes(content));
    }
}

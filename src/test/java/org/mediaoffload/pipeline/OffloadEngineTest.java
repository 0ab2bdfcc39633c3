package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.HOUR_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;
import static org.mediaoffload.testing.OffloadHarness.remoteOriginal;
import static org.mediaoffload.testing.OffloadHarness.remoteThumbDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.ToxicProxy;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The whole engine against real servers: Synapse's tables, a media store on disk, S3Proxy over HTTPS + SSE-C. */
class OffloadEngineTest extends EngineTestBase {
    @ParameterizedTest
    @EnumSource(Db.class)
    void offloadsEligibleMediaWithThumbnailsAndDeletesOnlyWhatIsVerified(Db db) throws Exception {
        harness(db);
        byte[] old = bytes(30_000, 1);
        h.addLocal("oldLocalMediaAAAAAAAAAAA", old, 3 * DAY_MS);
        byte[] thumb1 = bytes(2_000, 2);
        byte[] legacy = bytes(1_500, 3);
        h.writeFile(localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/32-32-image-jpeg-crop", thumb1);
        h.writeFile(localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/96-96-image-png", legacy);
        h.writeFile(localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/nested/640-480-image-jpeg-scale", bytes(10, 4));
        h.addLocal("recentLocalMediaBBBBBBBBB", bytes(1_000, 5), HOUR_MS);
        byte[] remote = bytes(50_000, 6);
        h.addRemote("matrix.org:8448", "remoteIdWhateverItIs", "remoteFsIdCCCCCCCCCCCCCC", remote, 5 * DAY_MS);
        h.writeFile(remoteThumbDir("matrix.org:8448", "remoteFsIdCCCCCCCCCCCCCC") + "/32-32-image-jpeg-crop",
                bytes(700, 7));
        // NULL last_access_ts: created_ts decides, as upstream's COALESCE.
        h.addLocal("neverAccessedOldDDDDDDDD", bytes(400, 8), 2 * DAY_MS);
        // URL-preview media are never offloaded, even with a file at a content path.
        h.writeFile(localOriginal("urlPreviewMediaEEEEEEEEE"), bytes(100, 9));
        h.fixture().insertLocal("urlPreviewMediaEEEEEEEEE", 100L, System.currentTimeMillis() - 9 * DAY_MS, null,
                "https://example.org", null);
        // An async upload whose bytes have not arrived (media_length NULL) is left alone.
        h.writeFile(localOriginal("pendingUploadFFFFFFFFFFF"), bytes(100, 10));
        h.fixture().insertLocal("pendingUploadFFFFFFFFFFF", null, System.currentTimeMillis() - 9 * DAY_MS, null,
                null, null);

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.objectBytes(localOriginal("oldLocalMediaAAAAAAAAAAA"))).contains(old);
        assertThat(h.objectBytes(localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/32-32-image-jpeg-crop"))
                .contains(thumb1);
        assertThat(h.objectBytes(localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/96-96-image-png")).contains(legacy);
        assertThat(h.objectBytes(remoteOriginal("matrix.org:8448", "remoteFsIdCCCCCCCCCCCCCC"))).contains(remote);
        assertThat(h.bucketKeys()).containsExactlyInAnyOrder(
                localOriginal("oldLocalMediaAAAAAAAAAAA"),
                localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/32-32-image-jpeg-crop",
                localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/96-96-image-png",
                remoteOriginal("matrix.org:8448", "remoteFsIdCCCCCCCCCCCCCC"),
                remoteThumbDir("matrix.org:8448", "remoteFsIdCCCCCCCCCCCCCC") + "/32-32-image-jpeg-crop",
                localOriginal("neverAccessedOldDDDDDDDD"));

        assertThat(h.localExists(localOriginal("oldLocalMediaAAAAAAAAAAA"))).isFalse();
        assertThat(h.localExists(localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/32-32-image-jpeg-crop")).isFalse();
        assertThat(h.localExists(localThumbDir("oldLocalMediaAAAAAAAAAAA") + "/nested/640-480-image-jpeg-scale"))
                .as("nested directories are not part of a media's files").isTrue();
        assertThat(h.localExists(remoteOriginal("matrix.org:8448", "remoteFsIdCCCCCCCCCCCCCC"))).isFalse();
        assertThat(h.localExists(localOriginal("recentLocalMediaBBBBBBBBB"))).isTrue();
        assertThat(h.localExists(localOriginal("urlPreviewMediaEEEEEEEEE"))).isTrue();
        assertThat(h.localExists(localOriginal("pendingUploadFFFFFFFFFFF"))).isTrue();
        // Empty parents are pruned, the top-level directories stay.
        assertThat(h.mediaStore().resolve("local_content/ol")).doesNotExist();
        assertThat(h.mediaStore().resolve("remote_content/matrix.org:8448")).doesNotExist();
        assertThat(h.mediaStore().resolve("local_content")).isDirectory();
        assertThat(h.mediaStore().resolve("remote_content")).isDirectory();

        assertThat(summary.filesUploaded()).isEqualTo(6);
        assertThat(summary.filesDeleted()).isEqualTo(6);
        assertThat(summary.bytesFreed()).isEqualTo(30_000 + 2_000 + 1_500 + 50_000 + 700 + 400);
        assertThat(summary.mediaSkipped()).isEqualTo(1);
        assertThat(summary.filesFailed()).isZero();
    }

    @Test
    void remoteAndQuarantinedSwitchesAreHonoured() throws Exception {
        harness(Db.POSTGRES);
        h.includeRemote = false;
        h.includeQuarantined = false;
        h.addRemote("example.com", "r1", "remoteFsIdGGGGGGGGGGGGGG", bytes(100, 1), 3 * DAY_MS);
        h.writeFile(localOriginal("quarantinedHHHHHHHHHHHHH"), bytes(100, 2));
        h.fixture().insertLocal("quarantinedHHHHHHHHHHHHH", 100L, System.currentTimeMillis() - 3 * DAY_MS, null, null,
                "@admin:example.org");

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.bucketKeys()).isEmpty();
        assertThat(h.localExists(remoteOriginal("example.com", "remoteFsIdGGGGGGGGGGGGGG"))).isTrue();
        assertThat(h.localExists(localOriginal("quarantinedHHHHHHHHHHHHH"))).isTrue();

        h.includeRemote = true;
        h.includeQuarantined = true;
        assertThat(h.run().filesDeleted()).isEqualTo(2);
    }

    @Test
    void objectsAreEncryptedWithOurKeyAndCarryTheStorageClass() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("sseMediaIIIIIIIIIIIIIIII", bytes(5_000, 1), 3 * DAY_MS);

        h.run();

        assertThat(h.headWithKey(localOriginal("sseMediaIIIIIIIIIIIIIIII")).storageClassAsString())
                .isEqualTo("STANDARD_IA");
        assertThatThrownBy(() -> server.adminClient().getObject(
                g -> g.bucket(h.bucket()).key(localOriginal("sseMediaIIIIIIIIIIIIIIII")),
                ResponseTransformer.toBytes()))
                .as("without the SSE-C key the object cannot be read").isInstanceOf(S3Exception.class);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"synapse", "synapse/"})
    void prefixIsPrependedVerbatim(String prefix) throws Exception {
        harness(Db.SQLITE);
        h.prefix = prefix;
        h.addLocal("prefixedJJJJJJJJJJJJJJJJ", bytes(100, 1), 3 * DAY_MS);

        h.run();

        assertThat(h.bucketKeys()).containsExactly(prefix + localOriginal("prefixedJJJJJJJJJJJJJJJJ"));
    }

    @Test
    void zeroLengthAndMultipartSizedFilesRoundTrip() throws Exception {
        harness(Db.SQLITE);
        byte[] big = bytes(12 * 1024 * 1024 + 17, 1);
        h.addLocal("emptyFileKKKKKKKKKKKKKKK", new byte[0], 3 * DAY_MS);
        h.addLocal("bigFileLLLLLLLLLLLLLLLLL", big, 3 * DAY_MS);

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.objectBytes(localOriginal("emptyFileKKKKKKKKKKKKKKK"))).contains(new byte[0]);
        assertThat(h.objectBytes(localOriginal("bigFileLLLLLLLLLLLLLLLLL"))).contains(big);
        assertThat(h.requests.count("UploadPart")).isGreaterThanOrEqualTo(3);
        assertThat(summary.filesDeleted()).isEqualTo(2);
    }

    @Test
    void neighbouringMediaAreCheckedWithAFewListingsInsteadOfTwoPerMedia() throws Exception {
        harness(Db.POSTGRES);
        // Pinned, as after check-config: one object already in the bucket cannot prove the target by sampling.
        h.pinTarget();
        int media = 60;
        for (int i = 0; i < media; i++) {
            String id = String.format("batch%02dXXXXXXXXXXXXXXXXX", i);
            h.addLocal(id, bytes(1_000 + i, i), 3 * DAY_MS);
            h.writeFile(localThumbDir(id) + "/32-32-image-jpeg-crop", bytes(100 + i, 1_000 + i));
        }
        // One object already there: the sweep must find it (and a HEAD then proves it decrypts with our key). Its
        // size is right, but without a content proof (no probe recorded, not our upload) it is uploaded again.
        byte[] existing = bytes(1_007, 7);
        putWithKey(localOriginal("batch07XXXXXXXXXXXXXXXXX"), existing, Optional.of(OffloadHarness.SSE_KEY));

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(summary.filesDeleted()).isEqualTo(2L * media);
        assertThat(summary.filesAlreadyInStore()).isZero();
        assertThat(h.requests.count("PutObject")).isEqualTo(2L * media);
        assertThat(h.requests.count("HeadObject")).isEqualTo(1);
        // Per-media listings took 4 requests per media here (original and thumbnails, before and after upload):
        // 240. Sweeps take one page per tree and batch (as many media as transfer threads, 8 here), before and
        // after upload: 8 batches x 2 trees x 2 = 32, and the run's bucket preflight.
        assertThat(h.requests.count("ListObjectsV2")).as("%s", h.requests).isLessThanOrEqualTo(33);
        for (int i = 0; i < media; i++) {
            String id = String.format("batch%02dXXXXXXXXXXXXXXXXX", i);
            assertThat(h.objectBytes(localOriginal(id))).contains(bytes(1_000 + i, i));
        }
    }

    @Test
    void preExistingObjectsAreReusedReplacedOrKeptAsTheRulesSay() throws Exception {
        harness(Db.POSTGRES);
        // Pinned (not confirmed by a provider): the run starts, and objects our key cannot read are not rewritten.
        h.pinTarget();
        byte[] same = bytes(1_000, 1);
        byte[] longer = bytes(2_000, 2);
        h.addLocal("sameSizeMMMMMMMMMMMMMMMM", same, 3 * DAY_MS);
        h.addLocal("otherSizeNNNNNNNNNNNNNNN", longer, 3 * DAY_MS);
        h.addLocal("noSseCOOOOOOOOOOOOOOOOOO", bytes(300, 3), 3 * DAY_MS);
        h.addLocal("otherKeyPPPPPPPPPPPPPPPP", bytes(300, 4), 3 * DAY_MS);
        putWithKey(localOriginal("sameSizeMMMMMMMMMMMMMMMM"), same, Optional.of(OffloadHarness.SSE_KEY));
        putWithKey(localOriginal("otherSizeNNNNNNNNNNNNNNN"), bytes(10, 5), Optional.of(OffloadHarness.SSE_KEY));
        putWithKey(localOriginal("noSseCOOOOOOOOOOOOOOOOOO"), bytes(300, 3), Optional.empty());
        putWithKey(localOriginal("otherKeyPPPPPPPPPPPPPPPP"), bytes(300, 4),
                Optional.of("another-key-0123456789abcdefABCD"));

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.FAILED_FILES);
        // The same-size object is not proven to hold the same bytes (no probe recorded): uploaded again.
        assertThat(summary.filesAlreadyInStore()).isZero();
        assertThat(summary.filesUploaded()).isEqualTo(2);
        assertThat(h.requests.count("PutObject")).isEqualTo(2);
        assertThat(h.objectBytes(localOriginal("sameSizeMMMMMMMMMMMMMMMM"))).contains(same);
        assertThat(h.objectBytes(localOriginal("otherSizeNNNNNNNNNNNNNNN"))).contains(longer);
        assertThat(h.localExists(localOriginal("sameSizeMMMMMMMMMMMMMMMM"))).isFalse();
        assertThat(h.localExists(localOriginal("otherSizeNNNNNNNNNNNNNNN"))).isFalse();
        assertThat(summary.filesFailed()).isEqualTo(2);
        assertThat(h.localExists(localOriginal("noSseCOOOOOOOOOOOOOOOOOO"))).isTrue();
        assertThat(h.localExists(localOriginal("otherKeyPPPPPPPPPPPPPPPP"))).isTrue();
        assertThat(summary.errors()).anyMatch(e -> e.contains("does not decrypt with our SSE-C key"));

        h.rewriteUnreadable = true;
        RunSummary rewrite = h.run();
        assertThat(rewrite.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.objectBytes(localOriginal("noSseCOOOOOOOOOOOOOOOOOO"))).contains(bytes(300, 3));
        assertThat(h.localExists(localOriginal("otherKeyPPPPPPPPPPPPPPPP"))).isFalse();
    }

    @Test
    void anOriginalShorterThanItsRowIsNeitherUploadedNorDeleted() throws Exception {
        harness(Db.SQLITE);
        h.writeFile(localOriginal("truncatedQQQQQQQQQQQQQQQ"), bytes(500, 1));
        h.fixture().insertLocal("truncatedQQQQQQQQQQQQQQQ", 1_000L, System.currentTimeMillis() - 3 * DAY_MS, null,
                null, null);

        RunSummary summary = h.run();

        assertThat(h.bucketKeys()).isEmpty();
        assertThat(h.localExists(localOriginal("truncatedQQQQQQQQQQQQQQQ"))).isTrue();
        assertThat(summary.filesSkipped()).isEqualTo(1);
        assertThat(summary.errors()).anyMatch(e -> e.contains("differs from media_length"));
    }

    @Test
    void aFileModifiedWithinTheQuietPeriodIsLeftAlone() throws Exception {
        harness(Db.SQLITE);
        Path file = h.addLocal("stillWritingRRRRRRRRRRRR", bytes(500, 1), 3 * DAY_MS);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));

        RunSummary summary = h.run();

        assertThat(h.bucketKeys()).isEmpty();
        assertThat(file).exists();
        assertThat(summary.filesSkipped()).isEqualTo(1);
    }

    @Test
    void aRowAccessedBetweenScanAndDeletionKeepsItsFile() throws Exception {
        harness(Db.POSTGRES);
        h.addLocal("accessedSSSSSSSSSSSSSSSS", bytes(500, 1), 3 * DAY_MS);
        h.addLocal("purgedTTTTTTTTTTTTTTTTTT", bytes(500, 2), 3 * DAY_MS);
        h.addLocal("untouchedUUUUUUUUUUUUUUU", bytes(500, 3), 3 * DAY_MS);
        RunListener synapseMeanwhile = new RunListener() {
            @Override
            public void phaseChanged(RunPhase phase) {
                if (phase == RunPhase.TRANSFERRING) {
                    try {
                        h.touch("accessedSSSSSSSSSSSSSSSS", System.currentTimeMillis());
                        h.fixture().deleteLocal("purgedTTTTTTTTTTTTTTTTTT");
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };

        RunSummary summary = h.run(false, synapseMeanwhile);

        assertThat(h.bucketKeys()).hasSize(3);
        assertThat(h.localExists(localOriginal("accessedSSSSSSSSSSSSSSSS"))).isTrue();
        assertThat(h.localExists(localOriginal("purgedTTTTTTTTTTTTTTTTTT"))).isTrue();
        assertThat(h.localExists(localOriginal("untouchedUUUUUUUUUUUUUUU"))).isFalse();
        assertThat(summary.filesDeleted()).isEqualTo(1);
        assertThat(summary.errors()).anyMatch(e -> e.contains("accessed since the scan"))
                .anyMatch(e -> e.contains("row is gone"));
    }

    @Test
    void pulledBackFilesAreDeletedAgainWithoutReuploadAndASteadyStateRunSendsNothing() throws Exception {
        harness(Db.POSTGRES);
        byte[] content = bytes(4_000, 1);
        h.addLocal("pulledBackVVVVVVVVVVVVVV", content, 3 * DAY_MS);
        h.writeFile(localThumbDir("pulledBackVVVVVVVVVVVVVV") + "/32-32-image-jpeg-crop", bytes(300, 2));
        assertThat(h.run().filesDeleted()).isEqualTo(2);

        h.requests.reset();
        RunSummary steady = h.run();
        assertThat(steady.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.requests.total()).as("requests in a run with nothing to do: %s", h.requests).isZero();

        // Synapse fetches the original back from S3 (e.g. to thumbnail it).
        h.writeFile(localOriginal("pulledBackVVVVVVVVVVVVVV"), content);
        h.requests.reset();
        RunSummary again = h.run();

        assertThat(again.filesDeleted()).isEqualTo(1);
        assertThat(again.filesAlreadyInStore()).isEqualTo(1);
        assertThat(h.requests.count("PutObject")).isZero();
        assertThat(h.requests.count("ListObjectsV2")).as("the journal knows the key: HEAD (and a local read"
                + " against our upload proof) only, after the run's bucket preflight").isEqualTo(1);
        assertThat(h.localExists(localOriginal("pulledBackVVVVVVVVVVVVVV"))).isFalse();
    }

    /**
     * A first run (nothing pinned, an empty bucket) checks the bucket once: the target check's preflight (max-keys 1)
     * and its page of the prefix, then one listing before upload and one to verify; the run itself does not send the
     * preflight again. The next run, pinned now, has no target check: it sends its own preflight before its upload.
     */
    @Test
    void aFirstRunSendsTheBucketPreflightOnceAndAPinnedRunItsOwn() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("firstRunFFFFFFFFFFFFFFFF", bytes(500, 1), 3 * DAY_MS);
        h.requests.reset();
        assertThat(h.run().filesDeleted()).isEqualTo(1);
        assertThat(h.requests.count("ListObjectsV2")).as("%s", h.requests).isEqualTo(4);
        assertThat(h.requests.total()).as("%s", h.requests).isEqualTo(5);

        h.addLocal("secondRunSSSSSSSSSSSSSSS", bytes(500, 2), 3 * DAY_MS);
        h.requests.reset();
        assertThat(h.run().filesDeleted()).isEqualTo(1);
        assertThat(h.requests.count("ListObjectsV2")).as("%s", h.requests).isEqualTo(3);
        assertThat(h.requests.total()).as("%s", h.requests).isEqualTo(4);
    }

    @Test
    void aDryRunSendsNoPutAndDeletesNothing() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("dryRunWWWWWWWWWWWWWWWWWW", bytes(500, 1), 3 * DAY_MS);

        RunSummary summary = h.run(true, RunListener.NONE);

        assertThat(summary.dryRun()).isTrue();
        assertThat(summary.filesUploaded()).isEqualTo(1);
        // A dry run reports what it would delete and free; the backlog says nothing was.
        assertThat(summary.filesDeleted()).isEqualTo(1);
        assertThat(summary.bytesFreed()).isEqualTo(500);
        assertThat(summary.backlogFiles()).isEqualTo(1);
        assertThat(h.requests.count("PutObject")).isZero();
        assertThat(h.bucketKeys()).isEmpty();
        assertThat(h.localExists(localOriginal("dryRunWWWWWWWWWWWWWWWWWW"))).isTrue();
    }

    @Test
    void hostileIdsAndSymlinksAreNeverFollowedOrDeleted() throws Exception {
        harness(Db.SQLITE);
        Path outside = Files.writeString(tmp.resolve("outside-secret.txt"), "not media");
        Path link = h.mediaStore().resolve(localOriginal("symlinkedXXXXXXXXXXXXXXX"));
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, outside);
        h.fixture().insertLocal("symlinkedXXXXXXXXXXXXXXX", 9L, System.currentTimeMillis() - 3 * DAY_MS, null, null,
                null);
        h.fixture().insertLocal("../../../../etc/passwd", 9L, System.currentTimeMillis() - 3 * DAY_MS, null, null,
                null);
        h.addLocal("normalYYYYYYYYYYYYYYYYYY", bytes(100, 1), 3 * DAY_MS);

        RunSummary summary = h.run();

        assertThat(h.bucketKeys()).containsExactly(localOriginal("normalYYYYYYYYYYYYYYYYYY"));
        assertThat(outside).hasContent("not media");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(summary.filesDeleted()).isEqualTo(1);
    }

    @Test
    void aRunPastItsDurationCapStopsCleanlyAndTheNextRunContinues() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("cappedZZZZZZZZZZZZZZZZZZ", bytes(100, 1), 3 * DAY_MS);
        h.maxRunDuration = Duration.ofNanos(1);

        RunSummary capped = h.run();

        assertThat(capped.status()).isEqualTo(RunStatus.TIME_LIMIT);
        assertThat(capped.status().exitCode()).isEqualTo(1);
        assertThat(h.localExists(localOriginal("cappedZZZZZZZZZZZZZZZZZZ"))).isTrue();
        h.maxRunDuration = Duration.ZERO;
        assertThat(h.run().filesDeleted()).isEqualTo(1);
    }

    @Test
    void anObjectStoreOutageAbortsTheRunAndKeepsEveryFile() throws Exception {
        harness(Db.SQLITE);
        for (int i = 0; i < 20; i++) {
            h.addLocal(String.format("outage%018d", i), bytes(100, i), 3 * DAY_MS);
        }
        try (ToxicProxy proxy = new ToxicProxy(server.securePort())) {
            h.endpointOverride = Optional.of(proxy.httpsEndpoint());
            proxy.refuse();

            RunSummary summary = h.run();

            assertThat(summary.status()).isEqualTo(RunStatus.ABORTED);
            assertThat(h.bucketKeys()).isEmpty();
            for (int i = 0; i < 20; i++) {
                assertThat(h.localExists(localOriginal(String.format("outage%018d", i)))).isTrue();
            }

            proxy.forward();
            RunSummary recovered = h.run();
            assertThat(recovered.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(recovered.filesDeleted()).isEqualTo(20);
        }
    }

    @Test
    void theTotalsAreKnownBeforeTheFirstFileFinishes() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("plannedAAAAAAAAAAAAAAAAA", bytes(1_000, 1), 3 * DAY_MS);
        h.writeFile(localThumbDir("plannedAAAAAAAAAAAAAAAAA") + "/32-32-image-jpeg-crop", bytes(100, 2));
        h.addLocal("plannedBBBBBBBBBBBBBBBBB", bytes(2_000, 3), 3 * DAY_MS);
        java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunListener recorder = new RunListener() {
            @Override
            public void workPlanned(long media, long files, long bytes) {
                events.add("planned " + media + "/" + files + "/" + bytes);
            }

            @Override
            public void fileFinished(FileOutcome outcome, long bytes) {
                events.add("finished");
            }
        };

        h.run(false, recorder);

        assertThat(events).first().isEqualTo("planned 2/3/3100");
        assertThat(events).as("exact totals are published once").filteredOn(e -> e.startsWith("planned")).hasSize(1);
        assertThat(events).filteredOn("finished"::equals).hasSize(3);
    }

    private void putWithKey(String relativePath, byte[] content, Optional<String> sseKey) {
        var put = software.amazon.awssdk.services.s3.model.PutObjectRequest.builder().bucket(h.bucket())
                .key(h.key(relativePath));
        sseKey.ifPresent(k -> {
            var key = org.mediaoffload.config.SseCustomerKey.fromConfiguredString(k, "AES256");
            put.sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64());
        });
        server.adminClient().putObject(put.build(), software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
    }
}

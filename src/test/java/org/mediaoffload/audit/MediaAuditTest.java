package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;
import static org.mediaoffload.testing.OffloadHarness.remoteOriginal;
import static org.mediaoffload.testing.OffloadHarness.remoteThumbDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.mediaoffload.Engine;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The audit against real servers: each class built on purpose and counted exactly. The audit's clock runs an hour
 * ahead, so everything the test writes is older than the quiet period (S3 objects cannot be back-dated).
 */
class MediaAuditTest extends EngineTestBase {
    private static final long HOUR = OffloadHarness.HOUR_MS;
    private static final Clock AHEAD = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

    private long now() {
        return System.currentTimeMillis();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyClassIsCountedExactly(Db db) throws Exception {
        harness(db);
        h.prefix = "media/";
        var fx = h.fixture();
        // bothLocalAndRemote: original on disk and in the bucket, plus a named thumbnail in both places
        h.addLocal("bothAAAAAAAAAAAAAAAAAAAA", bytes(100, 1), 3 * HOUR);
        put(localOriginal("bothAAAAAAAAAAAAAAAAAAAA"), bytes(100, 1));
        fx.update("INSERT INTO local_media_repository_thumbnails VALUES (?, 32, 32, 'image/jpeg', 'crop', 10)",
                "bothAAAAAAAAAAAAAAAAAAAA");
        h.writeFile(localThumbDir("bothAAAAAAAAAAAAAAAAAAAA") + "/32-32-image-jpeg-crop", bytes(10, 2));
        put(localThumbDir("bothAAAAAAAAAAAAAAAAAAAA") + "/32-32-image-jpeg-crop", bytes(10, 2));
        // strayThumbnail: an object in that media's thumbnail directory that no row names
        put(localThumbDir("bothAAAAAAAAAAAAAAAAAAAA") + "/64-64-image-png-scale", bytes(20, 3));
        // s3Only
        fx.insertLocal("s3onlyBBBBBBBBBBBBBBBBBB", 200L, now() - HOUR, null, null, null);
        put(localOriginal("s3onlyBBBBBBBBBBBBBBBBBB"), bytes(200, 4));
        // localOnly
        h.addLocal("localonlyCCCCCCCCCCCCCCC", bytes(300, 5), 3 * HOUR);
        // lost (local) and lostRemote
        fx.insertLocal("lostDDDDDDDDDDDDDDDDDDDD", 400L, now() - HOUR, null, null, null);
        fx.insertRemote("remote.example", "theirId1", "lostremoteEEEEEEEEEEEEEE", 500L, now() - HOUR, now() - HOUR, null);
        // not lost: a URL preview, a pending async upload, and a row newer than the quiet period
        fx.insertLocal("2026-01-01_urlcacheFFFFFF", 50L, now() - HOUR, null, "https://example.org", null);
        fx.insertLocal("pendingGGGGGGGGGGGGGGGGG", null, now() - HOUR, null, null, null);
        fx.insertLocal("recentHHHHHHHHHHHHHHHHHH", 60L, now() + 55 * 60_000L, null, null, null);
        // orphan: original and thumbnail of a media whose row is gone (purged)
        put(localOriginal("orphanIIIIIIIIIIIIIIIIII"), bytes(700, 6));
        put(localThumbDir("orphanIIIIIIIIIIIIIIIIII") + "/32-32-image-jpeg-crop", bytes(70, 7));
        put(remoteOriginal("gone.example", "orphanremoteJJJJJJJJJJJJ"), bytes(80, 8));
        // sizeMismatch: the object is shorter than media_length
        fx.insertLocal("sizeKKKKKKKKKKKKKKKKKKKK", 900L, now() - HOUR, null, null, null);
        put(localOriginal("sizeKKKKKKKKKKKKKKKKKKKK"), bytes(890, 9));
        // remote media with a legacy thumbnail name (no method): named by its row, so not stray
        h.addRemote("remote.example", "theirId2", "remotefineLLLLLLLLLLLLLL", bytes(110, 10), 3 * HOUR);
        put(remoteOriginal("remote.example", "remotefineLLLLLLLLLLLLLL"), bytes(110, 10));
        fx.update("INSERT INTO remote_media_cache_thumbnails VALUES ('remote.example', 'theirId2', 32, 32, 'crop',"
                + " 'image/jpeg', 11, 'remotefineLLLLLLLLLLLLLL')");
        put(remoteThumbDir("remote.example", "remotefineLLLLLLLLLLLLLL") + "/32-32-image-jpeg", bytes(11, 11));
        // foreign: other applications' data, a directory marker, a key at the wrong depth
        put("other-app/notes.txt", bytes(5, 12));
        put("local_content/", new byte[0]);
        put("local_content/ab/cd", bytes(6, 13));
        // outside the prefix: not ours, not audited
        putRaw("elsewhere/file", bytes(7, 14));
        // localWithoutRow: a file on disk whose row is gone
        h.writeFile(localOriginal("diskonlyMMMMMMMMMMMMMMMM"), bytes(33, 15));

        AuditReport r = audit(AuditRequest.reportOnly("test"));

        assertThat(r.errors()).isEmpty();
        assertThat(r.status()).isEqualTo(AuditReport.PROBLEMS);
        assertThat(r.mediaRows()).isEqualTo(10);
        assertThat(r.objectsAudited()).isEqualTo(13);
        assertThat(r.lostMedia()).isEqualTo(1);
        assertThat(r.lostRemoteMedia()).isEqualTo(1);
        assertThat(r.newLostMedia()).isEqualTo(2);
        assertThat(r.samples().get("lost")).containsExactly("lostDDDDDDDDDDDDDDDDDDDD");
        assertThat(r.samples().get("lostRemote")).containsExactly("remote.example/theirId1");
        assertThat(r.orphanObjects()).isEqualTo(3);
        assertThat(r.orphanBytes()).isEqualTo(700 + 70 + 80);
        assertThat(r.samples().get("orphan")).containsExactlyInAnyOrder(localOriginal("orphanIIIIIIIIIIIIIIIIII"),
                localThumbDir("orphanIIIIIIIIIIIIIIIIII") + "/32-32-image-jpeg-crop",
                remoteOriginal("gone.example", "orphanremoteJJJJJJJJJJJJ"));
        assertThat(r.sizeMismatches()).isEqualTo(1);
        assertThat(r.samples().get("sizeMismatch")).containsExactly(localOriginal("sizeKKKKKKKKKKKKKKKKKKKK"));
        assertThat(r.strayThumbnails()).isEqualTo(1);
        assertThat(r.samples().get("strayThumbnail"))
                .containsExactly(localThumbDir("bothAAAAAAAAAAAAAAAAAAAA") + "/64-64-image-png-scale");
        assertThat(r.foreignObjects()).isEqualTo(3);
        assertThat(r.classes().get("bothLocalAndRemote")).isEqualTo(new AuditReport.Count(3, 100 + 10 + 110));
        // s3Only: s3onlyB, sizeK, the stray thumbnail and the legacy remote thumbnail
        assertThat(r.classes().get("s3Only")).isEqualTo(new AuditReport.Count(4, 200 + 890 + 20 + 11));
        assertThat(r.classes().get("localOnly")).isEqualTo(new AuditReport.Count(1, 300));
        assertThat(r.classes().get("localWithoutRow")).isEqualTo(new AuditReport.Count(1, 33));
        assertThat(r.classes().get("recentIgnored").files()).isEqualTo(1);
        assertThat(r.synapseSha256()).isTrue();
        assertThat(r.bytesAudited()).isEqualTo(100 + 10 + 20 + 200 + 700 + 70 + 80 + 890 + 110 + 11 + 5 + 0 + 6);
        assertThat(r.contentChecked()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verifyContentFindsCorruptAndUnreadableObjects(Db db) throws Exception {
        harness(db);
        var fx = h.fixture();
        byte[] good = bytes(1000, 1);
        byte[] stored = bytes(1000, 2);
        fx.insertLocal("goodAAAAAAAAAAAAAAAAAAAA", 1000L, now() - HOUR, null, null, null);
        fx.update("UPDATE local_media_repository SET sha256 = ? WHERE media_id = ?", sha256(good),
                "goodAAAAAAAAAAAAAAAAAAAA");
        put(localOriginal("goodAAAAAAAAAAAAAAAAAAAA"), good);
        // same size, other bytes: only the hash can tell
        fx.insertLocal("corruptBBBBBBBBBBBBBBBBB", 1000L, now() - HOUR, null, null, null);
        fx.update("UPDATE local_media_repository SET sha256 = ? WHERE media_id = ?", sha256(good),
                "corruptBBBBBBBBBBBBBBBBB");
        put(localOriginal("corruptBBBBBBBBBBBBBBBBB"), stored);
        // written with another SSE-C key: Synapse cannot read it
        fx.insertLocal("otherkeyCCCCCCCCCCCCCCCC", 1000L, now() - HOUR, null, null, null);
        putWithKey(localOriginal("otherkeyCCCCCCCCCCCCCCCC"), good, "anotherKeyForTests-0123456789abc");
        // readable, but no sha256 and no upload of ours in the journal: nothing to compare with
        fx.insertLocal("nohashDDDDDDDDDDDDDDDDDD", 1000L, now() - HOUR, null, null, null);
        put(localOriginal("nohashDDDDDDDDDDDDDDDDDD"), good);

        AuditReport r = audit(new AuditRequest("test", AuditRequest.ALL, false, Optional.empty(), false));

        assertThat(r.errors()).isEmpty();
        assertThat(r.contentChecked()).isEqualTo(2);
        assertThat(r.contentMismatches()).isEqualTo(1);
        assertThat(r.samples().get("corrupt")).containsExactly(localOriginal("corruptBBBBBBBBBBBBBBBBB"));
        assertThat(r.unreadable()).isEqualTo(1);
        assertThat(r.samples().get("unreadable")).containsExactly(localOriginal("otherkeyCCCCCCCCCCCCCCCC"));
        assertThat(r.contentUnverifiable()).isEqualTo(1);
        assertThat(r.status()).isEqualTo(AuditReport.PROBLEMS);
        assertThat(r.exitCode()).isEqualTo(1);
    }

    /**
     * Before Synapse 1.128 there is no sha256 column: the audit reads the rows all the same, says that Synapse keeps
     * no hash, and checks content against the MD5 our upload journaled.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void aDatabaseFromBeforeSynapseHashedMediaIsAuditedAndCheckedByOurUploadsMd5(Db db) throws Exception {
        harness(db);
        h.addLocal("offloadedAAAAAAAAAAAAAAA", bytes(2000, 1), 3 * OffloadHarness.DAY_MS);
        assertThat(h.run().filesUploaded()).isEqualTo(1);
        for (String table : List.of("local_media_repository", "remote_media_cache")) {
            h.fixture().update("DROP INDEX " + table + "_sha256");
            h.fixture().update("ALTER TABLE " + table + " DROP COLUMN sha256");
        }
        h.fixture().insertLocal("lostBBBBBBBBBBBBBBBBBBBB", 400L, now() - HOUR, null, null, null);
        h.fixture().insertRemote("remote.example", "theirId", "lostremoteCCCCCCCCCCCCCC", 500L, now() - HOUR,
                now() - HOUR, null);

        AuditReport r = audit(new AuditRequest("test", AuditRequest.ALL, false, Optional.empty(), false));

        assertThat(r.errors()).isEmpty();
        assertThat(r.synapseSha256()).isFalse();
        assertThat(r.mediaRows()).isEqualTo(3);
        assertThat(r.contentChecked()).as("by the journal's MD5").isEqualTo(1);
        assertThat(r.contentMismatches()).isZero();
        assertThat(r.samples().get("lost")).containsExactly("lostBBBBBBBBBBBBBBBBBBBB");
        assertThat(r.samples().get("lostRemote")).containsExactly("remote.example/theirId");
    }

    /**
     * GetBucketVersioning and GetObjectLockConfiguration: the report says what a deletion would mean, and a reconcile
     * in a versioned bucket says that delete markers stay.
     */
    @Test
    void theReportSaysWhetherTheBucketIsVersionedOrHasObjectLock() throws Exception {
        harness(Db.SQLITE);
        put(localOriginal("orphanAAAAAAAAAAAAAAAAAA"), bytes(10, 1));

        AuditReport plain = audit(AuditRequest.reportOnly("test"));
        server.adminClient().putBucketVersioning(b -> b.bucket(h.bucket())
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        h.pinTarget(); // a reconcile, even a dry run, needs the pinned target
        AuditReport versioned = audit(new AuditRequest("test", 0, false, Optional.empty(), true, true,
                java.util.OptionalDouble.empty()));

        assertThat(plain.errors()).isEmpty();
        assertThat(plain.bucketVersioning()).isEqualTo("Off");
        // S3Proxy does not implement GetObjectLockConfiguration: said so, and the audit goes on.
        assertThat(plain.bucketObjectLock()).startsWith("unknown").contains("NotImplemented");
        assertThat(versioned.bucketVersioning()).isEqualTo("Enabled");
        assertThat(versioned.orphanObjects()).isEqualTo(1);
        // ...and the reconcile says that a deletion there leaves a delete marker and the data.
        assertThat(versioned.reconcile().notes()).anySatisfy(n -> assertThat(n).contains("versioned (Enabled)")
                .contains("delete marker"));
    }

    @Test
    void aSampleReadsExactlyNOriginalsAndTheJournalsMd5ServesMediaWithoutSha256() throws Exception {
        harness(Db.POSTGRES);
        for (int i = 0; i < 5; i++) {
            h.addLocal("offloaded" + i + "AAAAAAAAAAAAAA", bytes(2000 + i, i), 3 * OffloadHarness.DAY_MS);
        }
        assertThat(h.run().filesUploaded()).isEqualTo(5);

        AuditReport r = audit(new AuditRequest("test", 3, false, Optional.empty(), false));

        assertThat(r.errors()).isEmpty();
        assertThat(r.contentChecked()).isEqualTo(3);
        assertThat(r.contentMismatches()).isZero();
        assertThat(r.classes().get("s3Only").files()).isEqualTo(5);
        assertThat(r.status()).isEqualTo(AuditReport.CLEAN);
    }

    @Test
    void acknowledgedLossesDoNotFailLaterAuditsAndTheExportListsThem() throws Exception {
        harness(Db.SQLITE);
        h.fixture().insertLocal("lostAAAAAAAAAAAAAAAAAAAA", 400L, now() - HOUR, null, null, null);
        put(localOriginal("orphanBBBBBBBBBBBBBBBBBB"), bytes(70, 7));
        Path export = tmp.resolve("export");

        AuditReport first = audit(new AuditRequest("test", 0, true, Optional.of(export), false));
        AuditReport second = audit(AuditRequest.reportOnly("test"));

        assertThat(first.status()).isEqualTo(AuditReport.PROBLEMS);
        assertThat(first.newLostMedia()).isEqualTo(1);
        assertThat(second.lostMedia()).isEqualTo(1);
        assertThat(second.newLostMedia()).isZero();
        assertThat(second.acknowledgedLostMedia()).isEqualTo(1);
        assertThat(second.status()).isEqualTo(AuditReport.CLEAN);
        assertThat(Files.readAllLines(export.resolve("lost.jsonl"))).singleElement().asString()
                .contains("\"mediaId\":\"lostAAAAAAAAAAAAAAAAAAAA\"").contains("\"kind\":\"local\"");
        assertThat(Files.readAllLines(export.resolve("orphans.jsonl"))).singleElement().asString()
                .contains("\"key\":\"" + localOriginal("orphanBBBBBBBBBBBBBBBBBB") + "\"");
        try (AuditJournal journal = AuditJournal.open(h.stateDir())) {
            assertThat(journal.recent(10)).extracting(AuditReport::id).containsExactly(second.id(), first.id());
        }
    }

    @Test
    void aDryRunRecordsNoBaseline() throws Exception {
        harness(Db.SQLITE);
        h.fixture().insertLocal("lostAAAAAAAAAAAAAAAAAAAA", 400L, now() - HOUR, null, null, null);

        audit(new AuditRequest("test", 0, true, Optional.empty(), true));
        AuditReport after = audit(AuditRequest.reportOnly("test"));

        assertThat(after.newLostMedia()).isEqualTo(1);
        assertThat(after.status()).isEqualTo(AuditReport.PROBLEMS);
    }

    @Test
    void manyKeysGoThroughTheExternalSortAndEveryListingRange() throws Exception {
        harness(Db.SQLITE);
        List<org.mediaoffload.testing.SynapseFixture.LocalMedia> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            String id = String.format("m%05dAAAAAAAAAAAAAAAAAA", i);
            rows.add(new org.mediaoffload.testing.SynapseFixture.LocalMedia(id, 1L, now() - HOUR, null, null, null));
            if (i % 2 == 0) {
                put(localOriginal(id), new byte[] {1});
            }
        }
        h.fixture().insertLocals(rows);
        put("zzz-after-all-trees", bytes(3, 1));
        put("a-before-all-trees", bytes(3, 1));
        put("local_contentX", bytes(3, 1));

        AuditReport r = audit(AuditRequest.reportOnly("test"));

        assertThat(r.errors()).isEmpty();
        assertThat(r.mediaRows()).isEqualTo(2500);
        assertThat(r.classes().get("s3Only").files()).isEqualTo(1250);
        assertThat(r.lostMedia()).isEqualTo(1250);
        assertThat(r.foreignObjects()).isEqualTo(3);
        assertThat(r.objectsAudited()).isEqualTo(1253);

        // offload.audit.max-duration: an audit past it stops, says so, and is not CLEAN.
        h.audit = new org.mediaoffload.config.AuditConfig(org.mediaoffload.config.AuditConfig.defaults().cron(),
                Duration.ofNanos(1));
        AuditReport stopped = audit(AuditRequest.reportOnly("test"));
        assertThat(stopped.status()).isEqualTo(AuditReport.INCOMPLETE);
        assertThat(stopped.errors()).singleElement().asString().contains("offload.audit.max-duration");
        assertThat(stopped.objectsAudited()).isLessThan(1253);
        assertThat(stopped.exitCode()).isEqualTo(1);
    }

    /**
     * The second look before a loss is reported: a row purged since the scan, an original that reappeared on
     * disk or in the bucket are not losses; only a row whose original is still nowhere is. Candidates spread over
     * directories are HEADed one by one.
     */
    @Test
    void aLostCandidateIsCheckedAgainstTheRowTheDiskAndTheBucket() throws Exception {
        harness(Db.POSTGRES);
        List<String> still = List.of("stilllostEEEEEEEEEEEEEEE");
        LostRecheck.Counts counts = recheck("", still);
        assertThat(counts.newLost()).isEqualTo(1);
        assertThat(counts.listings()).isZero();
        assertThat(counts.heads()).as("purged and on-disk candidates are not HEADed").isEqualTo(3);
    }

    /**
     * Many candidates in one directory where the merge saw few objects: one listing of their range answers for
     * all of them, and those it shows (written since the merge) are HEADed with our key as before.
     */
    @Test
    void manyCandidatesInOneDirectoryAreCheckedWithOneListingOfTheirRange() throws Exception {
        harness(Db.SQLITE);
        List<String> still = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            still.add(String.format("rlstilllost%013d", i));
        }
        LostRecheck.Counts counts = recheck("rl", still);
        assertThat(counts.newLost()).isEqualTo(8);
        assertThat(counts.listings()).isEqualTo(1);
        assertThat(counts.heads()).as("only the two the listing shows").isEqualTo(2);
    }

    /**
     * Builds four candidates whose state changed since the merge (ids after {@code idPrefix}) beside the ones
     * still lost, and re-checks them all.
     */
    private LostRecheck.Counts recheck(String idPrefix, List<String> stillLost) throws Exception {
        var fx = h.fixture();
        String purged = (idPrefix + "purgedAAAAAAAAAAAAAAAAAA").substring(0, 24);
        String onDisk = (idPrefix + "ondiskBBBBBBBBBBBBBBBBBB").substring(0, 24);
        String inBucket = (idPrefix + "inbucketCCCCCCCCCCCCCCCC").substring(0, 24);
        String otherKey = (idPrefix + "otherkeyDDDDDDDDDDDDDDDD").substring(0, 24);
        List<String> ids = new java.util.ArrayList<>(List.of(purged, onDisk, inBucket, otherKey));
        ids.addAll(stillLost);
        for (String id : ids) {
            fx.insertLocal(id, 100L, now() - HOUR, null, null, null);
        }
        // What happened between the merge and the second look:
        fx.deleteLocal(purged);
        h.writeFile(localOriginal(onDisk), bytes(100, 1));
        put(localOriginal(inBucket), bytes(100, 2));
        putWithKey(localOriginal(otherKey), bytes(100, 3), "anotherKeyForTests-0123456789abc");
        ids.sort(org.mediaoffload.pipeline.S3KeyOrder::compare);
        Tallies tallies = new Tallies();
        LostRecheck.Counts counts;
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests, AHEAD);
                AuditCatalog catalog = org.mediaoffload.catalog.SynapseCatalogs.openForAudit(h.databaseConfig());
                AuditBucket bucket = new org.mediaoffload.s3.S3AuditBucket(h.s3Config(),
                        org.mediaoffload.s3.S3RequestObserver.NONE);
                LostRecheck recheck = new LostRecheck(catalog, bucket,
                        new org.mediaoffload.store.SynapseMediaStore(h.mediaStore()), engine.auditJournal(), h.prefix,
                        tallies, Optional.empty(), false, 4)) {
            for (String id : ids) {
                recheck.candidate(new Entry(h.key(localOriginal(id)), Entry.Source.ROW_ORIGINAL, 100, now() - HOUR,
                        "", id, "", 0), localOriginal(id));
            }
            recheck.finish();
            counts = recheck.counts();
        }
        assertThat(tallies.samples().get("lost")).containsExactlyInAnyOrderElementsOf(stillLost);
        assertThat(tallies.samples().get("unreadable")).containsExactly(localOriginal(otherKey));
        return counts;
    }

    @Test
    void orphansKeepTheirFirstSightingWhileTheirEtagStaysAndAreForgottenWhenGone() throws Exception {
        harness(Db.SQLITE);
        String key = localOriginal("orphanAAAAAAAAAAAAAAAAAA");
        put(key, bytes(100, 1));

        AuditReport first = audit(AuditRequest.reportOnly("test"));
        var sighting = journal(j -> j.orphan(key)).orElseThrow();
        AuditReport second = audit(AuditRequest.reportOnly("test"));
        var again = journal(j -> j.orphan(key)).orElseThrow();
        put(key, bytes(100, 2));
        audit(AuditRequest.reportOnly("test"));
        var rewritten = journal(j -> j.orphan(key)).orElseThrow();
        server.adminClient().deleteObject(d -> d.bucket(h.bucket()).key(h.key(key)));
        audit(AuditRequest.reportOnly("test"));
        Optional<AuditJournal.OrphanSighting> gone = journal(j -> j.orphan(key));

        assertThat(sighting.auditsSeen()).isEqualTo(1);
        assertThat(sighting.lastAudit()).isEqualTo(first.id());
        assertThat(again.auditsSeen()).isEqualTo(2);
        assertThat(again.lastAudit()).isEqualTo(second.id());
        assertThat(again.firstSeen()).isEqualTo(sighting.firstSeen());
        assertThat(again.etag()).isEqualTo(sighting.etag());
        // Other bytes under the same key: a new object, so its grace starts again.
        assertThat(rewritten.auditsSeen()).isEqualTo(1);
        assertThat(rewritten.etag()).isNotEqualTo(sighting.etag());
        assertThat(gone).isEmpty();
    }

    private <T> T journal(java.util.function.Function<AuditJournal, T> read) {
        try (AuditJournal journal = AuditJournal.open(h.stateDir())) {
            return read.apply(journal);
        }
    }

    /**
     * The local media are compared with the bucket while the remote media are read: a remote table that cannot be
     * read (here renamed once the audit has started) fails the audit with the database's message, after the local
     * half was compared, and the audit does not hang waiting for the half that never comes.
     */
    @Test
    void aRemoteTableThatCannotBeReadFailsTheAuditAfterTheLocalHalfWasCompared() throws Exception {
        harness(Db.POSTGRES);
        var fx = h.fixture();
        fx.insertLocal("s3onlyBBBBBBBBBBBBBBBBBB", 200L, now() - HOUR, null, null, null);
        put(localOriginal("s3onlyBBBBBBBBBBBBBBBBBB"), bytes(200, 4));
        fx.insertRemote("remote.example", "remoteDDDDDDDDDDDDDDDDDD", "fsidDDDDDDDDDDDDDDDDDDDD", 50L, now() - HOUR, null,
                null);
        put(remoteOriginal("remote.example", "fsidDDDDDDDDDDDDDDDDDDDD"), bytes(50, 6));
        AuditProgress renameRemoteTable = new AuditProgress() {
            @Override
            public void phase(String description) {
                if (description.startsWith("reading Synapse's media rows")) {
                    try {
                        fx.update("ALTER TABLE remote_media_cache RENAME TO remote_media_cache_elsewhere");
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };

        AuditReport r;
        try {
            r = audit(AuditRequest.reportOnly("test"), renameRemoteTable);
        } finally {
            fx.update("ALTER TABLE remote_media_cache_elsewhere RENAME TO remote_media_cache");
        }

        assertThat(r.status()).isEqualTo(AuditReport.INCOMPLETE);
        assertThat(r.errors()).singleElement().asString().contains("remote_media_cache");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.classes().get("s3Only").files()).as("the local half, compared before the failure").isEqualTo(1);
        assertThat(r.lostMedia()).isZero();
        assertThat(r.orphanObjects()).isZero();
    }

    /**
     * An audit interrupted while the remote media are read (the daemon shutting down interrupts its audit, and then
     * closes the journal, the database and the bucket) ends only once nothing it started still runs: the merge of
     * the local half (here in a stretch that does not look at interrupts) and the database scan (here waiting for a
     * lock another session holds) have stopped by the time the report is returned.
     */
    @Test
    void anInterruptedAuditReturnsOnlyOnceItsMergeAndItsReadersHaveStopped() throws Exception {
        harness(Db.POSTGRES);
        var fx = h.fixture();
        List<org.mediaoffload.testing.SynapseFixture.LocalMedia> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 800; i++) {
            // media_length NULL (an upload still pending): never a lost candidate, so no re-check runs
            rows.add(new org.mediaoffload.testing.SynapseFixture.LocalMedia(String.format("m%05dAAAAAAAAAAAAAAAAAA", i),
                    null, now() - HOUR, null, null, null));
        }
        fx.insertLocals(rows);
        fx.insertRemote("remote.example", "remoteDDDDDDDDDDDDDDDDDD", "fsidDDDDDDDDDDDDDDDDDDDD", 50L, now() - HOUR, null,
                null);
        java.sql.Connection locker = h.postgres().connect();
        locker.setAutoCommit(false);
        java.util.concurrent.CountDownLatch mergeBusy = new java.util.concurrent.CountDownLatch(1);
        AuditProgress progress = new AuditProgress() {
            @Override
            public void phase(String description) {
                if (description.startsWith("reading Synapse's media rows")) {
                    try (var st = locker.createStatement()) {
                        st.execute("LOCK TABLE remote_media_cache IN ACCESS EXCLUSIVE MODE");
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }

            @Override
            public void compared(long keys) {
                if (mergeBusy.getCount() > 0) {
                    mergeBusy.countDown();
                    UninterruptibleWork.take(Duration.ofSeconds(2)); // as a long stretch of judging would
                }
            }
        };
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        java.util.concurrent.atomic.AtomicReference<AuditReport> report = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<List<String>> leftRunning =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread auditor = new Thread(() -> {
            try {
                for (String top : org.mediaoffload.store.MediaStoreLayout.TOP_LEVEL_DIRS) {
                    Files.createDirectories(h.mediaStore().resolve(top));
                }
                try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests, AHEAD)) {
                    report.set(engine.audit().run(AuditRequest.reportOnly("test"), progress));
                    leftRunning.set(Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> !before.contains(t) && t.isAlive())
                            .map(Thread::getName)
                            .filter(n -> n.startsWith("audit-merge") || n.startsWith("audit-read"))
                            .toList());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "test-auditor");
        try {
            auditor.start();
            assertThat(mergeBusy.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the merge began").isTrue();
            Thread.sleep(200); // the remote scan is waiting for the lock by now
            auditor.interrupt();
            Thread.sleep(300);
        } finally {
            locker.rollback();
            locker.close();
        }
        auditor.join(120_000);

        assertThat(auditor.isAlive()).isFalse();
        assertThat(report.get().status()).isEqualTo(AuditReport.INCOMPLETE);
        assertThat(report.get().errors()).singleElement().asString().contains("interrupted");
        assertThat(leftRunning.get()).as("threads of the audit still running when it returned").isEmpty();
    }


    private AuditReport audit(AuditRequest request) throws java.io.IOException {
        return audit(request, AuditProgress.NONE);
    }

    private AuditReport audit(AuditRequest request, AuditProgress progress) throws java.io.IOException {
        // A store Synapse has written keeps its top-level directories (pruning never removes them), even when every
        // file is in the bucket; without them the engine refuses the path as not a media store.
        for (String top : org.mediaoffload.store.MediaStoreLayout.TOP_LEVEL_DIRS) {
            java.nio.file.Files.createDirectories(h.mediaStore().resolve(top));
        }
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests, AHEAD)) {
            return engine.audit().run(request, progress);
        }
    }

    private void put(String relative, byte[] content) {
        putWithKey(relative, content, OffloadHarness.SSE_KEY);
    }

    private void putWithKey(String relative, byte[] content, String sseKey) {
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(sseKey, "AES256");
        server.adminClient().putObject(p -> p.bucket(h.bucket()).key(h.key(relative)).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()), RequestBody.fromBytes(content));
    }

    private void putRaw(String key, byte[] content) {
        server.adminClient().putObject(p -> p.bucket(h.bucket()).key(key), RequestBody.fromBytes(content));
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}

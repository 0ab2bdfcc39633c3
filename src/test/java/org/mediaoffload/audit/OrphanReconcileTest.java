package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;
import static org.mediaoffload.testing.OffloadHarness.remoteOriginal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediaoffload.Engine;
import org.mediaoffload.config.AuditConfig;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code audit --delete-orphans} against real servers (PostgreSQL or SQLite, S3Proxy over HTTPS with SSE-C): only
 * orphans that pass every guard are deleted. The audits' clocks run ahead (an hour, then days), so the test's
 * objects are past the quiet period and the grace can pass without waiting.
 */
class OrphanReconcileTest extends EngineTestBase {
    private static final long HOUR = OffloadHarness.HOUR_MS;
    private static final Duration FIRST = Duration.ofHours(1);
    private static final Duration NEXT_DAY = Duration.ofDays(1);
    private static final Duration PAST_GRACE = Duration.ofDays(32);
    private static final String THUMB = "/32-32-image-jpeg-crop";
    private static final String ORIGIN = "remote.example";

    @ParameterizedTest
    @EnumSource(Db.class)
    void purgedMediaAreDeletedAfterTheGraceTogetherAndNothingElse(Db db) throws Exception {
        harness(db);
        h.prefix = "media/";
        // A purge as retention leaves it: 2 of 42 local media and 1 of 41 remote media lost their rows (under 5 %).
        for (int i = 0; i < 40; i++) {
            localMedia(String.format("keep%020d", i), true);
            remoteMedia(String.format("rkeep%019d", i), true);
        }
        localMedia("goneAAAAAAAAAAAAAAAAAAAA", false);
        localMedia("goneBBBBBBBBBBBBBBBBBBBB", false);
        remoteMedia("rgoneCCCCCCCCCCCCCCCCCCC", false);
        // never touched: a foreign key, and a thumbnail no row names beside an existing media
        put("other-app/notes.txt", bytes(5, 1));
        put(localThumbDir(String.format("keep%020d", 0)) + "/64-64-image-png-scale", bytes(20, 2));
        Set<String> orphans = Set.of(localOriginal("goneAAAAAAAAAAAAAAAAAAAA"),
                localThumbDir("goneAAAAAAAAAAAAAAAAAAAA") + THUMB, localOriginal("goneBBBBBBBBBBBBBBBBBBBB"),
                localThumbDir("goneBBBBBBBBBBBBBBBBBBBB") + THUMB, remoteOriginal(ORIGIN, "rgoneCCCCCCCCCCCCCCCCCCC"));
        Set<String> before = bucketKeys();

        AuditReport first = audit(FIRST, deleting(false));
        AuditReport second = audit(NEXT_DAY, deleting(false));

        assertThat(first.orphanObjects()).isEqualTo(5);
        assertThat(first.errors()).isEmpty();
        assertThat(first.reconcile().notDue()).as("seen once").isEqualTo(5);
        assertThat(second.reconcile().notDue()).as("seen twice, within the grace").isEqualTo(5);
        assertThat(second.orphansDeleted()).isZero();
        assertThat(bucketKeys()).isEqualTo(before);

        AuditReport dry = audit(PAST_GRACE, deleting(true));

        assertThat(dry.reconcile().dryRun()).isTrue();
        assertThat(dry.orphansDeleted()).as("would delete").isEqualTo(5);
        assertThat(dry.reconcile().mediaDeleted()).isEqualTo(3);
        assertThat(bucketKeys()).isEqualTo(before);
        List<AuditJournal.Deletion> wouldBe = journal(j -> j.deletions(dry.id(), "", 100));
        assertThat(wouldBe).extracting(AuditJournal.Deletion::state)
                .containsOnly(AuditJournal.Deletion.WOULD_DELETE).hasSize(5);

        AuditReport real = audit(PAST_GRACE.plusHours(1), deleting(false));

        assertThat(real.errors()).isEmpty();
        assertThat(real.orphansDeleted()).isEqualTo(5);
        assertThat(real.bytesReclaimed()).isEqualTo(100 + 10 + 100 + 10 + 100);
        assertThat(real.reconcile().mediaDeleted()).isEqualTo(3);
        Set<String> expected = new TreeSet<>(before);
        orphans.forEach(k -> expected.remove(h.key(k)));
        assertThat(bucketKeys()).isEqualTo(expected);
        List<AuditJournal.Deletion> journaled = journal(j -> j.deletions(real.id(), "", 100));
        assertThat(journaled).extracting(AuditJournal.Deletion::key)
                .containsExactlyInAnyOrderElementsOf(orphans.stream().map(h::key).toList());
        assertThat(journaled).allSatisfy(d -> {
            assertThat(d.state()).isEqualTo(AuditJournal.Deletion.DELETED);
            assertThat(d.etag()).isNotBlank();
            assertThat(d.lastModified()).isNotNull();
            assertThat(d.size()).isIn(10L, 100L);
        });

        AuditReport after = audit(PAST_GRACE.plusHours(2), deleting(false));
        assertThat(after.orphanObjects()).isZero();
        assertThat(after.orphansDeleted()).isZero();
        assertThat(after.lostMedia()).isZero();
    }

    /** An empty database (or the wrong one) makes every object look orphaned: the fraction guard deletes nothing. */
    @ParameterizedTest
    @EnumSource(Db.class)
    void theFractionGuardKeepsEverythingWhenTheDatabaseIsEmpty(Db db) throws Exception {
        harness(db);
        for (int i = 0; i < 10; i++) {
            localMedia(String.format("media%019d", i), false);
        }
        Set<String> before = bucketKeys();

        audit(FIRST, deleting(false));
        AuditReport r = audit(PAST_GRACE, deleting(false));

        assertThat(r.orphanObjects()).isEqualTo(20);
        assertThat(r.orphansDeleted()).isZero();
        assertThat(r.reconcile().overFraction()).isEqualTo(20);
        assertThat(r.reconcile().notes()).anySatisfy(n -> assertThat(n).startsWith("local_content/: 10 of the 10")
                .contains("offload.audit.max-orphan-fraction"));
        assertThat(bucketKeys()).isEqualTo(before);

        // With intent (the admin checked that Synapse did purge everything), the override lets them go.
        AuditReport overridden = audit(PAST_GRACE.plusHours(1),
                new AuditRequest("test", 0, false, Optional.empty(), false, true, OptionalDouble.of(1.0)));
        assertThat(overridden.orphansDeleted()).isEqualTo(20);
        assertThat(bucketKeys()).isEmpty();
    }

    /**
     * The configuration pointed at another homeserver's database (one that has media rows, just not ours): every
     * object looks orphaned and the fraction guard deletes nothing; pointed back, the audit is clean.
     */
    @Test
    void theFractionGuardKeepsEverythingAgainstAnotherHomeserversDatabase() throws Exception {
        harness(Db.SQLITE);
        for (int i = 0; i < 10; i++) {
            localMedia(String.format("ours%020d", i), true);
        }
        java.nio.file.Path other = tmp.resolve("other-homeserver.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other)) {
            org.mediaoffload.testing.SynapseSchema.applySqlite(c);
            org.mediaoffload.testing.SynapseFixture theirs = new org.mediaoffload.testing.SynapseFixture(c);
            for (int i = 0; i < 10; i++) {
                theirs.insertLocal(String.format("theirs%018d", i), 100L, System.currentTimeMillis() - HOUR, null,
                        null, null);
            }
        }
        Set<String> before = bucketKeys();
        h.databaseOverride = c -> org.mediaoffload.testing.DatabaseConfigBuilder.sqlite(other).build();

        audit(FIRST, deleting(false));
        AuditReport r = audit(PAST_GRACE, deleting(false));

        assertThat(r.mediaRows()).isEqualTo(10);
        assertThat(r.orphanObjects()).isEqualTo(20);
        assertThat(r.lostMedia()).as("their rows, our bucket").isEqualTo(10);
        assertThat(r.orphansDeleted()).isZero();
        assertThat(r.reconcile().overFraction()).isEqualTo(20);
        assertThat(bucketKeys()).isEqualTo(before);

        h.databaseOverride = java.util.function.UnaryOperator.identity();
        AuditReport back = audit(PAST_GRACE.plusHours(1), deleting(false));
        assertThat(back.status()).isEqualTo(AuditReport.CLEAN);
        assertThat(back.orphanObjects()).isZero();
        assertThat(back.orphansDeleted()).isZero();
        assertThat(bucketKeys()).isEqualTo(before);
    }

    /** A prefix that names another homeserver's media (or a wrong bucket) looks the same: nothing is deleted. */
    @Test
    void theFractionGuardKeepsEverythingUnderAWrongPrefix() throws Exception {
        harness(Db.SQLITE);
        h.prefix = "ours/";
        for (int i = 0; i < 10; i++) {
            localMedia(String.format("ours%020d", i), true);
        }
        h.prefix = "theirs/";
        for (int i = 0; i < 10; i++) {
            put(localOriginal(String.format("theirs%018d", i)), bytes(100, i));
        }
        Set<String> before = bucketKeys();

        audit(FIRST, deleting(false));
        AuditReport r = audit(PAST_GRACE, deleting(false));

        assertThat(r.orphanObjects()).isEqualTo(10);
        assertThat(r.lostMedia()).as("our rows, their prefix").isEqualTo(10);
        assertThat(r.orphansDeleted()).isZero();
        assertThat(r.reconcile().overFraction()).isEqualTo(10);
        assertThat(bucketKeys()).isEqualTo(before);
    }

    /** Guard 2: a row restored (local or remote) between the audit's scan and the deletion keeps its media. */
    @ParameterizedTest
    @EnumSource(Db.class)
    void aRowThatReappearsBeforeTheDeletionKeepsItsMedia(Db db) throws Exception {
        harness(db);
        for (int i = 0; i < 4; i++) {
            localMedia(String.format("keep%020d", i), true);
        }
        localMedia("backAAAAAAAAAAAAAAAAAAAA", false);
        localMedia("goneBBBBBBBBBBBBBBBBBBBB", false);
        remoteMedia("rbackCCCCCCCCCCCCCCCCCCC", false);
        remoteMedia("rgoneDDDDDDDDDDDDDDDDDDD", false);
        AuditRequest delete = new AuditRequest("test", 0, false, Optional.empty(), false, true, OptionalDouble.of(1.0));
        audit(FIRST, delete);
        AuditProgress restore = new AuditProgress() {
            @Override
            public void phase(String description) {
                if (description.equals("deleting orphans")) {
                    try {
                        h.fixture().insertLocal("backAAAAAAAAAAAAAAAAAAAA", 100L, System.currentTimeMillis() - HOUR,
                                null, null, null);
                        h.fixture().insertRemote(ORIGIN, "theirIdBack", "rbackCCCCCCCCCCCCCCCCCCC", 100L,
                                System.currentTimeMillis() - HOUR, null, null);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };

        AuditReport r = audit(PAST_GRACE, delete, restore);

        assertThat(r.errors()).isEmpty();
        assertThat(r.orphanObjects()).as("orphans when the audit looked").isEqualTo(6);
        assertThat(r.reconcile().rowBack()).isEqualTo(2);
        assertThat(r.orphansDeleted()).isEqualTo(3);
        assertThat(h.objectBytes(localOriginal("backAAAAAAAAAAAAAAAAAAAA"))).isPresent();
        assertThat(h.objectBytes(localThumbDir("backAAAAAAAAAAAAAAAAAAAA") + THUMB)).isPresent();
        assertThat(h.objectBytes(remoteOriginal(ORIGIN, "rbackCCCCCCCCCCCCCCCCCCC"))).isPresent();
        assertThat(h.objectBytes(localOriginal("goneBBBBBBBBBBBBBBBBBBBB"))).isEmpty();
        assertThat(h.objectBytes(localThumbDir("goneBBBBBBBBBBBBBBBBBBBB") + THUMB)).isEmpty();
        assertThat(h.objectBytes(remoteOriginal(ORIGIN, "rgoneDDDDDDDDDDDDDDDDDDD"))).isEmpty();
        assertThat(h.objectBytes(localOriginal(String.format("keep%020d", 0)))).isPresent();
    }

    /**
     * The database restarted during the audit (here: every backend terminated, as a restart does, after the audit
     * opened its connection and before it read the rows): the scan reconnects and completes, but an audit that read
     * the database in two sessions deletes nothing. The next audit, in one session, does.
     */
    @Test
    void aDatabaseRestartedDuringTheAuditDeletesNothing() throws Exception {
        harness(Db.POSTGRES);
        for (int i = 0; i < 4; i++) {
            localMedia(String.format("keep%020d", i), true);
        }
        localMedia("goneAAAAAAAAAAAAAAAAAAAA", false);
        AuditRequest delete = new AuditRequest("test", 0, false, Optional.empty(), false, true, OptionalDouble.of(1.0));
        audit(FIRST, delete);
        Set<String> before = bucketKeys();
        int[] terminated = {0};
        AuditProgress restart = new AuditProgress() {
            @Override
            public void phase(String description) {
                if (description.startsWith("reading Synapse's media rows")) {
                    terminated[0] = terminateOtherBackends();
                }
            }
        };

        AuditReport r = audit(PAST_GRACE, delete, restart);

        assertThat(terminated[0]).isPositive();
        assertThat(r.mediaRows()).as("the scan reconnected and read every row").isEqualTo(4);
        assertThat(r.orphanObjects()).isEqualTo(2);
        assertThat(r.orphansDeleted()).isZero();
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("connection to Synapse's database was lost"));
        assertThat(bucketKeys()).isEqualTo(before);

        AuditReport next = audit(PAST_GRACE.plusHours(1), delete);
        assertThat(next.orphansDeleted()).isEqualTo(2);
    }

    /** Guard 4, and a media's objects go together: never half a media, never more than max-deletions. */
    @Test
    void maxDeletionsNeverSplitsAMedia() throws Exception {
        harness(Db.SQLITE);
        localMedia("goneAAAAAAAAAAAAAAAAAAAA", false);
        localMedia("goneBBBBBBBBBBBBBBBBBBBB", false);
        h.audit = new AuditConfig(AuditConfig.defaults().cron(), AuditConfig.defaults().maxDuration(), false,
                AuditConfig.defaults().orphanGrace(), 1.0, 3);
        audit(FIRST, deleting(false));

        AuditReport r = audit(PAST_GRACE, deleting(false));

        assertThat(r.orphansDeleted()).isEqualTo(2);
        assertThat(r.reconcile().mediaDeleted()).isEqualTo(1);
        assertThat(r.reconcile().overLimit()).isEqualTo(2);
        assertThat(r.reconcile().notes()).anySatisfy(n -> assertThat(n).contains("offload.audit.max-deletions = 3"));
        assertThat(h.objectBytes(localOriginal("goneAAAAAAAAAAAAAAAAAAAA"))).isEmpty();
        assertThat(h.objectBytes(localThumbDir("goneAAAAAAAAAAAAAAAAAAAA") + THUMB)).isEmpty();
        assertThat(h.objectBytes(localOriginal("goneBBBBBBBBBBBBBBBBBBBB"))).isPresent();
        assertThat(h.objectBytes(localThumbDir("goneBBBBBBBBBBBBBBBBBBBB") + THUMB)).isPresent();
    }

    /** A media with one fresh object (a thumbnail just written) keeps all of its objects until that one is due. */
    @Test
    void anObjectThatChangedRestartsTheGraceOfItsWholeMedia() throws Exception {
        harness(Db.SQLITE);
        localMedia("goneAAAAAAAAAAAAAAAAAAAA", false);
        AuditRequest delete = new AuditRequest("test", 0, false, Optional.empty(), false, true, OptionalDouble.of(1.0));
        audit(FIRST, delete);
        // Other bytes under the thumbnail's key: a new ETag, so a new object whose grace starts now.
        put(localThumbDir("goneAAAAAAAAAAAAAAAAAAAA") + THUMB, bytes(10, 99));

        AuditReport r = audit(PAST_GRACE, delete);

        assertThat(r.orphansDeleted()).isZero();
        assertThat(r.reconcile().notDue()).isEqualTo(2);
        assertThat(h.objectBytes(localOriginal("goneAAAAAAAAAAAAAAAAAAAA"))).isPresent();
    }

    @Test
    void anAuditWithoutDeleteOrphansDeletesNothingAndSaysNothingAboutIt() throws Exception {
        harness(Db.SQLITE);
        localMedia("goneAAAAAAAAAAAAAAAAAAAA", false);
        audit(FIRST, AuditRequest.reportOnly("test"));

        AuditReport r = audit(PAST_GRACE, AuditRequest.reportOnly("test"));

        assertThat(r.orphanObjects()).isEqualTo(2);
        assertThat(r.reconcile()).isNull();
        assertThat(r.orphansDeleted()).isZero();
        assertThat(h.objectBytes(localOriginal("goneAAAAAAAAAAAAAAAAAAAA"))).isPresent();
    }

    /** In a versioned bucket (or with Object Lock) a deletion leaves a delete marker: the report says so. */
    @Test
    void aVersionedBucketIsToldThatDeleteMarkersStay() throws Exception {
        harness(Db.SQLITE);
        List<String> errors = new java.util.ArrayList<>();
        ReconcileReport r;
        try (AuditJournal journal = AuditJournal.open(h.stateDir());
                AuditCatalog catalog = org.mediaoffload.catalog.SynapseCatalogs.openForAudit(h.databaseConfig());
                AuditBucket bucket = new org.mediaoffload.s3.S3AuditBucket(h.s3Config(),
                        org.mediaoffload.s3.S3RequestObserver.NONE)) {
            r = new OrphanReconcile(journal, catalog, bucket, new MediaStoreLayout(h.mediaStore()), h.prefix,
                    Clock.systemUTC()).run(journal.started("test", java.time.Instant.now()), new TreeCounts(),
                            new OrphanReconcile.Limits(Duration.ofDays(30), 0.05, 100), false,
                            new AuditBucket.Features("Enabled", "Enabled"), () -> true, errors);
        }

        assertThat(errors).isEmpty();
        assertThat(r.objectsDeleted()).isZero();
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("versioned").contains("delete marker"))
                .anySatisfy(n -> assertThat(n).contains("Object Lock"));
    }

    private int terminateOtherBackends() {
        try (Statement st = h.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuditRequest deleting(boolean dryRun) {
        return new AuditRequest("test", 0, false, Optional.empty(), dryRun, true, OptionalDouble.empty());
    }

    /** An original (100 bytes) and a thumbnail (10 bytes) in the bucket; with its rows or without (purged). */
    private void localMedia(String id, boolean withRow) throws SQLException {
        put(localOriginal(id), bytes(100, id.hashCode()));
        put(localThumbDir(id) + THUMB, bytes(10, id.hashCode() + 1));
        if (withRow) {
            h.fixture().insertLocal(id, 100L, System.currentTimeMillis() - HOUR, null, null, null);
            h.fixture().update("INSERT INTO local_media_repository_thumbnails VALUES (?, 32, 32, 'image/jpeg',"
                    + " 'crop', 10)", id);
        }
    }

    /** A remote original (100 bytes), keyed by its filesystem id; with its row or without. */
    private void remoteMedia(String filesystemId, boolean withRow) throws SQLException {
        put(remoteOriginal(ORIGIN, filesystemId), bytes(100, filesystemId.hashCode()));
        if (withRow) {
            h.fixture().insertRemote(ORIGIN, "their" + filesystemId, filesystemId, 100L,
                    System.currentTimeMillis() - HOUR, null, null);
        }
    }

    private Set<String> bucketKeys() {
        Set<String> keys = new TreeSet<>();
        server.adminClient().listObjectsV2Paginator(b -> b.bucket(h.bucket())).contents().stream().map(S3Object::key)
                .forEach(keys::add);
        return keys;
    }

    private <T> T journal(java.util.function.Function<AuditJournal, T> read) {
        try (AuditJournal journal = AuditJournal.open(h.stateDir())) {
            return read.apply(journal);
        }
    }

    private AuditReport audit(Duration ahead, AuditRequest request) throws java.io.IOException {
        return audit(ahead, request, AuditProgress.NONE);
    }

    private AuditReport audit(Duration ahead, AuditRequest request, AuditProgress progress)
            throws java.io.IOException {
        // A store Synapse has written keeps its top-level directories; without them the engine refuses the path.
        for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
            java.nio.file.Files.createDirectories(h.mediaStore().resolve(top));
        }
        if (request.deleteOrphans() && h.pinnedTarget().isEmpty()) {
            h.pinTarget(); // a reconcile needs the pinned target (ReconcileRefusedTest shows the refusal)
        }
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests,
                Clock.offset(Clock.systemUTC(), ahead))) {
            return engine.audit().run(request, progress);
        }
    }

    private void put(String relative, byte[] content) {
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
        server.adminClient().putObject(p -> p.bucket(h.bucket()).key(h.key(relative)).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()), RequestBody.fromBytes(content));
    }
}

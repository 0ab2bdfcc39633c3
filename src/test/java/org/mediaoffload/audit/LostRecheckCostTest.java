package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.remoteOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediaoffload.Engine;
import org.mediaoffload.catalog.SynapseCatalogs;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.S3KeyOrder;
import org.mediaoffload.s3.S3AuditBucket;
import org.mediaoffload.s3.S3RequestObserver;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.store.SynapseMediaStore;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;
import org.mediaoffload.testing.SynapseFixture;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * What the second look at lost candidates costs the store, counted at the server (S3Proxy): a dense lost set (many
 * lost rows between few objects) is proven absent by about one listing per page of objects, whatever the number of
 * lost rows; a sparse one by one HEAD per candidate; an object written between the merge and the second look is not
 * reported lost.
 */
class LostRecheckCostTest {
    private static final long HOUR = OffloadHarness.HOUR_MS;
    private static final Clock AHEAD = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

    /** Counts the listings and HEADs that reach the store, whoever sends them. */
    private static final class Counting extends ForwardingBlobStore {
        final AtomicLong lists = new AtomicLong();
        final AtomicLong heads = new AtomicLong();

        Counting(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            lists.incrementAndGet();
            return super.list(request);
        }

        @Override
        public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
            heads.incrementAndGet();
            return super.blobMetadata(request);
        }

        void reset() {
            lists.set(0);
            heads.set(0);
        }
    }

    private static final Counting[] STORE = new Counting[1];
    private static S3ProxyServer server;

    @TempDir
    Path tmp;

    private OffloadHarness h;

    @BeforeAll
    static void start() {
        server = S3ProxyServer.builder().middleware(s -> {
            STORE[0] = new Counting(s);
            return STORE[0];
        }).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeHarness() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    /**
     * A store Synapse has written keeps its top-level directories, even when every file is in the bucket; without
     * them the engine refuses the path as not a media store.
     */
    private void harness(Db db) throws java.io.IOException {
        h = new OffloadHarness(db, tmp, server);
        for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
            Files.createDirectories(h.mediaStore().resolve(top));
        }
    }

    /** Uploads the original of every key whose index passes {@code object}; says which ones it uploaded. */
    private List<Boolean> objectsWhere(List<String> keys, IntPredicate object) {
        List<Boolean> isObject = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            isObject.add(object.test(i));
            if (object.test(i)) {
                put(localOriginal(keys.get(i)), bytes(10, i));
            }
        }
        return isObject;
    }

    /** The keys with no object get a media row (and no file): the lost media. */
    private List<String> lostOf(List<String> keys, List<Boolean> isObject) throws Exception {
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!isObject.get(i)) {
                lost.add(keys.get(i));
            }
        }
        insertRows(lost);
        return lost;
    }

    private static Counting store() {
        return STORE[0];
    }

    /**
     * 40 objects with 5 lost rows after each (200 candidates), stretches of at most 10 objects: 4 listings (one page
     * per stretch) and no HEAD but one, for the candidate uploaded after the merge found it, which the listing shows.
     */
    @Test
    void aDenseLostSetCostsAListingPerPageOfObjectsNotPerLostRow() throws Exception {
        harness(Db.SQLITE);
        List<String> keys = ids("dense", 240);
        List<Boolean> isObject = objectsWhere(keys, i -> i % 6 == 0);
        List<String> lost = lostOf(keys, isObject);
        String uploadedMeanwhile = lost.get(100);
        store().reset();

        LostRecheck.Counts counts = recheck(keys, isObject, 10, () -> put(localOriginal(uploadedMeanwhile),
                bytes(100, 1)));

        List<String> stillLost = new ArrayList<>(lost);
        stillLost.remove(uploadedMeanwhile);
        assertThat(counts.newLost()).isEqualTo(199);
        // Stretches start at a candidate and take the next 10 objects: after objects 1, 12, 23 and 34 (of 40).
        assertThat(counts.listings()).as("one listing, of one page, per stretch of <= 10 objects").isEqualTo(4);
        assertThat(counts.heads()).as("only the candidate the listing shows").isEqualTo(1);
        assertThat(store().lists.get()).isEqualTo(counts.listings());
        assertThat(store().heads.get()).isEqualTo(1);
        assertThat(lastTallies.files(AuditClass.LOST)).isEqualTo(199);
    }

    /** Candidates with more than a stretch of objects between them: one HEAD each, no listing. */
    @Test
    void aSparseLostSetIsHeadedOneByOne() throws Exception {
        harness(Db.POSTGRES);
        List<String> keys = ids("sparse", 60);
        List<Boolean> isObject = objectsWhere(keys, i -> i % 12 != 5);
        List<String> lost = lostOf(keys, isObject);
        store().reset();

        LostRecheck.Counts counts = recheck(keys, isObject, 10, () -> { });

        assertThat(counts.newLost()).isEqualTo(5);
        assertThat(counts.listings()).isZero();
        assertThat(counts.heads()).isEqualTo(5);
        assertThat(store().lists.get()).isZero();
        assertThat(store().heads.get()).isEqualTo(5);
    }

    /**
     * A whole audit of a store that lost most of its media (300 local and 100 remote rows with no copy anywhere,
     * beside 30 objects): the second look adds one listing per media tree to the audit's own pages, and no HEAD.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void anAuditOfAStoreThatLostMostMediaAddsAListingPerTreeAndNoHead(Db db) throws Exception {
        harness(db);
        List<String> local = ids("audit", 330);
        List<SynapseFixture.LocalMedia> localRows = new ArrayList<>();
        for (int i = 0; i < local.size(); i++) {
            localRows.add(new SynapseFixture.LocalMedia(local.get(i), 10L, now() - HOUR, null, null, null));
            if (i % 11 == 0) {
                put(localOriginal(local.get(i)), bytes(10, i));
            }
        }
        h.fixture().insertLocals(localRows);
        List<SynapseFixture.RemoteMedia> remoteRows = new ArrayList<>();
        List<String> remote = ids("remote", 100);
        for (int i = 0; i < remote.size(); i++) {
            remoteRows.add(new SynapseFixture.RemoteMedia("remote.example", "their" + i, remote.get(i), 10L,
                    now() - HOUR, now() - HOUR, null));
        }
        h.fixture().insertRemotes(remoteRows);
        put(remoteOriginal("remote.example", "zzzzfinezzzzzzzzzzzzzzzz"), bytes(10, 1));
        h.fixture().insertRemote("remote.example", "theirFine", "zzzzfinezzzzzzzzzzzzzzzz", 10L, now() - HOUR,
                now() - HOUR, null);

        store().reset();
        AuditReport clean = audit();
        long auditLists = store().lists.get();
        assertThat(clean.lostMedia()).isEqualTo(300);
        assertThat(clean.lostRemoteMedia()).isEqualTo(100);
        assertThat(clean.classes().get("s3Only").files()).isEqualTo(31);
        assertThat(store().heads.get()).as("no HEAD: every candidate is in a listed stretch").isZero();
        // The audit's own pages: one per listed range (9: four trees and five gaps, each under 1,000 objects).
        assertThat(auditLists).as("the audit's 9 pages + one re-check listing per media tree").isEqualTo(9 + 2);
    }

    /**
     * 1,500 lost rows among 60 objects, re-checked in batches of about 500 (three batches side by side, disk looks
     * in slices of 256 consecutive candidates): after the merge found them and before the second look, rows are
     * purged, originals come back on disk (in the directories of other candidates, at both ends of a slice) and
     * objects are uploaded, on both sides of every batch and slice boundary. Each of them, and only they, is no longer
     * lost; the samples are the first lost media in key order, as with one checker.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void batchesCheckedSideBySideGiveEveryCandidateItsOwnSecondLook(Db db) throws Exception {
        harness(db);
        List<String> keys = ids("batch", 1_560);
        List<Boolean> isObject = objectsWhere(keys, i -> i % 26 == 0);
        List<String> lost = lostOf(keys, isObject);
        List<String> purged = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        List<String> uploaded = new ArrayList<>();
        // Around the slice boundaries (256 after a batch's start) and the batch boundaries (about 500 and 1,000).
        for (int b : new int[] {3, 254, 258, 497, 503, 755, 996, 1004, 1254, 1496}) {
            purged.add(lost.get(b));
            restored.add(lost.get(b + 1));
            uploaded.add(lost.get(b - 1));
        }
        store().reset();

        // Before the candidates are fed: with several batches, the first ones are checked while the merge goes on.
        for (String id : purged) {
            h.fixture().deleteLocal(id);
        }
        for (String id : restored) {
            h.writeFile(localOriginal(id), bytes(100, 3));
        }
        uploaded.forEach(id -> put(localOriginal(id), bytes(100, 4)));

        LostRecheck.Counts counts = recheck(keys, isObject, 10, 1_000, () -> { });

        List<String> stillLost = new ArrayList<>(lost);
        stillLost.removeAll(purged);
        stillLost.removeAll(restored);
        stillLost.removeAll(uploaded);
        assertThat(purged.size() + restored.size() + uploaded.size()).isEqualTo(30);
        assertThat(counts.newLost()).isEqualTo(lost.size() - 30).isEqualTo(stillLost.size());
        assertThat(lastTallies.samples().get("lost")).containsExactlyElementsOf(stillLost.subList(0, Tallies.SAMPLES));
        assertThat(counts.heads()).as("only the uploaded candidates, which the listings show").isEqualTo(10);
    }

    private Tallies lastTallies;

    /**
     * Feeds the keys to a re-check in key order as the merge would (an object, or a candidate), runs
     * {@code meanwhile} after the merge found every candidate and before the second look, then re-checks.
     */
    private LostRecheck.Counts recheck(List<String> keys, List<Boolean> isObject, int stretchObjects,
            Runnable meanwhile) throws Exception {
        return recheck(keys, isObject, stretchObjects, LostRecheck.BATCH, meanwhile);
    }

    private LostRecheck.Counts recheck(List<String> keys, List<Boolean> isObject, int stretchObjects, int batch,
            Runnable meanwhile) throws Exception {
        lastTallies = new Tallies();
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests, AHEAD);
                AuditCatalog catalog = SynapseCatalogs.openForAudit(h.databaseConfig());
                AuditBucket bucket = new S3AuditBucket(h.s3Config(), S3RequestObserver.NONE);
                LostRecheck recheck = new LostRecheck(catalog, bucket, new SynapseMediaStore(h.mediaStore()),
                        engine.auditJournal(), h.prefix, lastTallies, Optional.empty(), false, 4, stretchObjects,
                        batch)) {
            for (int i = 0; i < keys.size(); i++) {
                if (isObject.get(i)) {
                    recheck.object();
                } else {
                    String id = keys.get(i);
                    recheck.candidate(new Entry(h.key(localOriginal(id)), Entry.Source.ROW_ORIGINAL, 100,
                            now() - HOUR, "", id, "", 0), localOriginal(id));
                }
            }
            meanwhile.run();
            recheck.finish();
            return recheck.counts();
        }
    }

    /**
     * {@code n} media ids (24 characters) whose original keys sort in the order of the list, spread over many
     * directories ({@code local_content/ab/}: the first two letters vary), as random ids are: a re-check per
     * directory would find only a few candidates in each.
     */
    private static List<String> ids(String tag, int n) {
        String letters = "abcdefghijklmnopqrstuvwxyz";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String spread = "" + letters.charAt(i % 26) + letters.charAt(i / 26 % 26);
            ids.add((spread + tag + String.format("%06d", i) + "AAAAAAAAAAAAAAAAAAAAAAAA").substring(0, 24));
        }
        ids.sort((a, b) -> S3KeyOrder.compare(localOriginal(a), localOriginal(b)));
        return ids;
    }

    private void insertRows(List<String> ids) throws Exception {
        List<SynapseFixture.LocalMedia> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(new SynapseFixture.LocalMedia(id, 100L, now() - HOUR, null, null, null));
        }
        h.fixture().insertLocals(rows);
    }

    private AuditReport audit() {
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests, AHEAD)) {
            return engine.audit().run(AuditRequest.reportOnly("test"), AuditProgress.NONE);
        }
    }

    private void put(String relative, byte[] content) {
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(OffloadHarness.SSE_KEY, "AES256");
        server.adminClient().putObject(p -> p.bucket(h.bucket()).key(h.key(relative)).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()), RequestBody.fromBytes(content));
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}

package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.testing.SynapseFixture;
import org.mediaoffload.testing.SynapseFixture.LocalMedia;
import org.mediaoffload.testing.SynapseFixture.RemoteMedia;

/** The catalog's contract, against a real PostgreSQL database and a real SQLite file. */
class MediaCatalogTest {

    private static final long CUTOFF = 3_000;

    @TempDir
    Path tempDir;

    /**
     * Upstream's rules, applied to the media found on disk: only the ids on disk are looked up (a row whose files are
     * not there, or an id on disk without a row, gives nothing), and a remote id matches its origin's row only.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void looksUpTheMediaOnDiskByUpstreamsRules(Engine engine) throws Exception {
        try (SynapseDatabase db = SynapseDatabase.create(engine, tempDir)) {
            SynapseFixture f = db.fixture();
            f.insertLocal("oldNeverAccessed", 10L, 1_000, null, null, null);
            f.insertLocal("oldAccessedLongAgo", 11L, 100, 2_000L, null, null);
            f.insertLocal("oldButAccessedRecently", 12L, 1_000, 5_000L, null, null);
            f.insertLocal("createdAfterCutoff", 13L, 4_000, null, null, null);
            f.insertLocal("exactlyAtCutoff", 14L, CUTOFF, null, null, null);
            f.insertLocal("2026-01-01_urlPreview", 15L, 1_000, null, "https://example.org/", null);
            f.insertLocal("pendingUpload", null, 1_000, null, null, null);
            f.insertLocal("quarantined", 16L, 1_000, null, null, "@admin:example.org");
            f.insertLocal("notOnDisk", 17L, 1_000, null, null, null);
            f.insertRemote("matrix.org", "remoteOld", "fsRemoteOld", 20L, 1_000, 1_000L, null);
            f.insertRemote("matrix.org", "remoteNew", "fsRemoteNew", 21L, 4_000, 4_000L, null);
            f.insertRemote("[::1]:8448", "remoteQuarantined", "fsRemoteQ", 22L, 500, null, "system");
            f.insertRemote("matrix.org", "remoteNoFilesystemId", null, 23L, 1_000, 1_000L, null);
            // Same filesystem id under another origin: only the (origin, filesystem_id) pair matches.
            f.insertRemote("example.com", "otherOrigin", "fsRemoteOld", 24L, 1_000, 1_000L, null);
            List<LocalMedia> many = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                many.add(new LocalMedia(String.format("batch%05d", i), 1L, 1_000, null, null, null));
            }
            f.insertLocals(many);

            // A row without a filesystem_id has no path, so nothing can be found on disk for it.
            List<DiskMediaId> onDisk = new ArrayList<>(Stream.of("oldNeverAccessed", "oldAccessedLongAgo",
                    "oldButAccessedRecently", "createdAfterCutoff", "exactlyAtCutoff", "2026-01-01_urlPreview",
                    "pendingUpload", "quarantined", "noRowAtAll").map(MediaCatalogTest::localOnDisk).toList());
            onDisk.add(new DiskMediaId(MediaKind.REMOTE, "matrix.org", "fsRemoteOld"));
            onDisk.add(new DiskMediaId(MediaKind.REMOTE, "matrix.org", "fsRemoteNew"));
            onDisk.add(new DiskMediaId(MediaKind.REMOTE, "[::1]:8448", "fsRemoteQ"));
            many.forEach(m -> onDisk.add(localOnDisk(m.mediaId())));
            List<MediaRow> expectedLocal = new ArrayList<>(List.of(
                    local("oldNeverAccessed", 10L, 1_000, false),
                    local("oldAccessedLongAgo", 11L, 2_000, false),
                    local("pendingUpload", null, 1_000, false),
                    local("quarantined", 16L, 1_000, true)));
            many.forEach(m -> expectedLocal.add(local(m.mediaId(), 1L, 1_000, false)));
            List<MediaRow> expectedRemote = List.of(
                    remote("matrix.org", "remoteOld", "fsRemoteOld", 20L, 1_000, false),
                    remote("[::1]:8448", "remoteQuarantined", "fsRemoteQ", 22L, 500, true));

            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(100))) {
                assertThat(lookUp(catalog, false, onDisk)).containsExactlyInAnyOrderElementsOf(expectedLocal);
                assertThat(lookUp(catalog, true, onDisk))
                        .containsExactlyInAnyOrderElementsOf(concat(expectedLocal, expectedRemote));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rereadsPresentTouchedAndDeletedRows(Engine engine) throws Exception {
        try (SynapseDatabase db = SynapseDatabase.create(engine, tempDir)) {
            SynapseFixture f = db.fixture();
            f.insertLocal("unchanged", 5L, 1_000, null, null, null);
            f.insertLocal("touched", 6L, 1_000, null, null, null);
            f.insertLocal("deleted", 7L, 1_000, null, null, null);
            f.insertRemote("matrix.org", "rUnchanged", "fs1", 8L, 1_000, 1_000L, null);
            f.insertRemote("matrix.org", "rTouched", "fs2", 9L, 1_000, 1_000L, null);
            f.insertRemote("matrix.org", "rDeleted", "fs3", 10L, 1_000, 1_000L, null);
            f.insertRemote("other.example", "rUnchanged", "fs4", 11L, 1_000, 1_000L, null);

            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(100))) {
                f.touch(new MediaRef(MediaKind.LOCAL, "", "touched"), 50_000);
                f.touch(new MediaRef(MediaKind.REMOTE, "matrix.org", "rTouched"), 60_000);
                f.deleteLocal("deleted");
                f.deleteRemote("matrix.org", "rDeleted");

                List<MediaRef> refs = new ArrayList<>(Stream.of("unchanged", "touched", "deleted")
                        .map(id -> new MediaRef(MediaKind.LOCAL, "", id)).toList());
                Stream.of("rUnchanged", "rTouched", "rDeleted")
                        .forEach(id -> refs.add(new MediaRef(MediaKind.REMOTE, "matrix.org", id)));
                refs.add(new MediaRef(MediaKind.REMOTE, "other.example", "rUnchanged"));
                refs.add(new MediaRef(MediaKind.LOCAL, "", "neverExisted"));
                refs.add(new MediaRef(MediaKind.REMOTE, "nowhere.example", "rUnchanged"));
                Map<MediaRef, MediaRow> now = catalog.reread(refs);

                assertThat(now).containsOnlyKeys(
                        new MediaRef(MediaKind.LOCAL, "", "unchanged"),
                        new MediaRef(MediaKind.LOCAL, "", "touched"),
                        new MediaRef(MediaKind.REMOTE, "matrix.org", "rUnchanged"),
                        new MediaRef(MediaKind.REMOTE, "matrix.org", "rTouched"),
                        new MediaRef(MediaKind.REMOTE, "other.example", "rUnchanged"));
                assertThat(now.get(new MediaRef(MediaKind.LOCAL, "", "unchanged")))
                        .isEqualTo(local("unchanged", 5L, 1_000, false));
                // no longer eligible, still returned: the caller compares lastUsedTs
                assertThat(now.get(new MediaRef(MediaKind.LOCAL, "", "touched")).lastUsedTs()).isEqualTo(50_000);
                assertThat(now.get(new MediaRef(MediaKind.REMOTE, "matrix.org", "rTouched")))
                        .isEqualTo(remote("matrix.org", "rTouched", "fs2", 9L, 60_000, false));
                assertThat(now.get(new MediaRef(MediaKind.REMOTE, "other.example", "rUnchanged")).filesystemId())
                        .isEqualTo("fs4");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rereadsMoreRowsThanOneBatch(Engine engine) throws Exception {
        try (SynapseDatabase db = SynapseDatabase.create(engine, tempDir)) {
            int count = JdbcMediaCatalog.REREAD_BATCH * 2 + 17;
            db.fixture().insertLocals(IntStream.range(0, count)
                    .mapToObj(i -> new LocalMedia("l" + i, (long) i, 1_000, null, null, null)).toList());
            db.fixture().insertRemotes(IntStream.range(0, count)
                    .mapToObj(i -> new RemoteMedia("o" + (i % 3), "r" + i, "f" + i, 1L, 1_000, null, null)).toList());
            List<MediaRef> refs = new ArrayList<>();
            IntStream.range(0, count).forEach(i -> {
                refs.add(new MediaRef(MediaKind.LOCAL, "", "l" + i));
                refs.add(new MediaRef(MediaKind.REMOTE, "o" + (i % 3), "r" + i));
            });

            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(100))) {
                Map<MediaRef, MediaRow> rows = catalog.reread(refs);
                assertThat(rows).hasSize(2 * count);
                assertThat(rows.get(new MediaRef(MediaKind.LOCAL, "", "l1016")).mediaLength())
                        .isEqualTo(OptionalLong.of(1016));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void refusesToWrite(Engine engine) throws Exception {
        try (SynapseDatabase db = SynapseDatabase.create(engine, tempDir)) {
            db.fixture().insertLocal("keep", 1L, 1_000, null, null, null);
            ConnectionSource source = engine == Engine.POSTGRES
                    ? new PostgresConnectionSource(PostgresTarget.from(db.config(10)),
                            db.config(10).statementTimeout())
                    : new SqliteConnectionSource(db.config(10));
            try (Connection connection = source.open(); Statement st = connection.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("DELETE FROM local_media_repository"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining(engine == Engine.POSTGRES ? "read-only" : "readonly");
            }
            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(10))) {
                assertThat(lookUp(catalog, false, List.of(localOnDisk("keep")))).hasSize(1);
                catalog.ping();
            }
        }
    }

    /**
     * Discovery's chunks: more ids than one lookup takes, remote ids of several origins in one chunk (each origin
     * looked up on its own: Synapse has no index on filesystem_id), and a filesystem id shared by two origins.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void looksUpLargeChunksOriginByOrigin(Engine engine) throws Exception {
        try (SynapseDatabase db = SynapseDatabase.create(engine, tempDir)) {
            int locals = JdbcMediaCatalog.LOCAL_ELIGIBLE_BATCH + 500;
            List<LocalMedia> local = new ArrayList<>();
            List<DiskMediaId> onDisk = new ArrayList<>();
            Set<DiskMediaId> expected = new HashSet<>();
            for (int i = 0; i < locals; i++) {
                String id = String.format("chunk%06d", i);
                boolean eligible = i % 4 != 0;
                local.add(new LocalMedia(id, 1L, eligible ? 1_000 : 9_000, null, null, null));
                DiskMediaId disk = new DiskMediaId(MediaKind.LOCAL, "", id);
                onDisk.add(disk);
                if (eligible) {
                    expected.add(disk);
                }
            }
            List<RemoteMedia> remote = new ArrayList<>();
            List<String> origins = List.of("example.com", "example.com.au", "example.com:8448");
            for (int i = 0; i < 300; i++) {
                String origin = origins.get(i % origins.size());
                String fsId = "fs" + (i / origins.size()); // the same filesystem ids on every origin
                boolean onDiskHere = !(origin.equals("example.com.au") && i % 2 == 0);
                remote.add(new RemoteMedia(origin, "m" + i, fsId, 1L, 1_000, 1_000L, null));
                if (onDiskHere) {
                    DiskMediaId disk = new DiskMediaId(MediaKind.REMOTE, origin, fsId);
                    onDisk.add(disk);
                    expected.add(disk);
                }
            }
            onDisk.add(new DiskMediaId(MediaKind.REMOTE, "nowhere.example", "fs1"));
            db.fixture().insertLocals(local);
            db.fixture().insertRemotes(remote);

            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(100))) {
                List<MediaRow> found = new ArrayList<>();
                catalog.eligibleAmong(CUTOFF, true, onDisk, found::add);
                assertThat(found).extracting(DiskMediaId::of).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(expected);
                assertThat(found).filteredOn(r -> r.kind() == MediaKind.REMOTE)
                        .allMatch(r -> r.mediaId().equals("m" + (origins.indexOf(r.origin())
                                + 3 * Integer.parseInt(r.filesystemId().substring(2)))));
            }
        }
    }

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "0123456789abcdef".repeat(4);

    /** Synapse 1.128+ records a sha256 per media: the disk lookup and the re-read both carry it. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyQueryThatMakesRowsReadsSynapsesSha256(Engine engine) throws Exception {
        try (SynapseDatabase db = SynapseDatabase.create(engine, tempDir)) {
            SynapseFixture f = db.fixture();
            f.insertLocal("hashed", 10L, 1_000, null, null, null);
            f.insertLocal("beforeHashes", 11L, 1_000, null, null, null);
            f.insertLocal("upperCase", 12L, 1_000, null, null, null);
            f.insertRemote("matrix.org", "remoteHashed", "fsHashed", 20L, 1_000, 1_000L, null);
            f.update("UPDATE local_media_repository SET sha256 = ? WHERE media_id = ?", HASH_A, "hashed");
            f.update("UPDATE local_media_repository SET sha256 = ? WHERE media_id = ?", HASH_B.toUpperCase(),
                    "upperCase");
            f.update("UPDATE remote_media_cache SET sha256 = ? WHERE media_id = ?", HASH_B, "remoteHashed");
            Map<String, Optional<String>> expected = Map.of(
                    "hashed", Optional.of(HASH_A),
                    "beforeHashes", Optional.empty(),
                    "upperCase", Optional.of(HASH_B),
                    "remoteHashed", Optional.of(HASH_B));
            List<DiskMediaId> onDisk = List.of(new DiskMediaId(MediaKind.LOCAL, "", "hashed"),
                    new DiskMediaId(MediaKind.LOCAL, "", "beforeHashes"),
                    new DiskMediaId(MediaKind.LOCAL, "", "upperCase"),
                    new DiskMediaId(MediaKind.REMOTE, "matrix.org", "fsHashed"));

            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(2))) {
                List<MediaRow> found = lookUp(catalog, true, onDisk);
                assertThat(hashes(found)).isEqualTo(expected);
                Map<MediaRef, MediaRow> reread = catalog.reread(found.stream().map(MediaRow::ref).toList());
                assertThat(hashes(List.copyOf(reread.values()))).isEqualTo(expected);
            }
        }
    }

    /** Before Synapse 1.128 there is no sha256 column: every query still works, and rows carry no hash. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void readsADatabaseFromBeforeSynapseHashedMedia(Engine engine) throws Exception {
        try (SynapseDatabase db = SynapseDatabase.create(engine, tempDir)) {
            try (Statement st = db.writer().createStatement()) {
                for (String table : List.of("local_media_repository", "remote_media_cache")) {
                    st.execute("DROP INDEX " + table + "_sha256");
                    st.execute("ALTER TABLE " + table + " DROP COLUMN sha256");
                }
                if (!db.writer().getAutoCommit()) {
                    db.writer().commit();
                }
            }
            db.fixture().insertLocal("old", 10L, 1_000, null, null, null);
            db.fixture().insertRemote("matrix.org", "remoteOld", "fsOld", 20L, 1_000, 1_000L, null);

            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(10))) {
                List<MediaRow> rows = lookUp(catalog, true, List.of(localOnDisk("old"),
                        new DiskMediaId(MediaKind.REMOTE, "matrix.org", "fsOld")));
                assertThat(rows).extracting(MediaRow::mediaId).containsExactlyInAnyOrder("old", "remoteOld");
                assertThat(rows).allMatch(r -> r.sha256().isEmpty());
                assertThat(catalog.reread(rows.stream().map(MediaRow::ref).toList())).hasSize(2);
            }
        }
    }

    private static Map<String, Optional<String>> hashes(List<MediaRow> rows) {
        return rows.stream().collect(Collectors.toMap(MediaRow::mediaId, MediaRow::sha256));
    }

    private static List<MediaRow> lookUp(MediaCatalog catalog, boolean includeRemote, List<DiskMediaId> onDisk) {
        List<MediaRow> rows = new ArrayList<>();
        catalog.eligibleAmong(CUTOFF, includeRemote, onDisk, rows::add);
        return rows;
    }

    private static DiskMediaId localOnDisk(String mediaId) {
        return new DiskMediaId(MediaKind.LOCAL, "", mediaId);
    }

    private static MediaRow local(String id, Long length, long lastUsed, boolean quarantined) {
        return new MediaRow(MediaKind.LOCAL, "", id, id, optional(length), lastUsed, quarantined);
    }

    private static MediaRow remote(String origin, String id, String fsId, Long length, long lastUsed,
            boolean quarantined) {
        return new MediaRow(MediaKind.REMOTE, origin, id, fsId, optional(length), lastUsed, quarantined);
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

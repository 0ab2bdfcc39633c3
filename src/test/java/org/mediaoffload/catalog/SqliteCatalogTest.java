package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.testing.SynapseFixture.LocalMedia;

/** SQLite specifics: Synapse keeps writing (WAL) while we read, and our reads must not get in its way. */
class SqliteCatalogTest {

    @TempDir
    Path tempDir;

    @Test
    void synapseCanWriteAndCheckpointWhileRowsAreDelivered() throws SQLException {
        try (SynapseDatabase db = SynapseDatabase.create(Engine.SQLITE, tempDir)) {
            db.fixture().insertLocals(IntStream.range(0, 6)
                    .mapToObj(i -> new LocalMedia("media" + i, 1L, 1_000, null, null, null)).toList());
            List<DiskMediaId> onDisk = IntStream.range(0, 6).mapToObj(i -> local("media" + i)).toList();
            List<Integer> checkpointBusy = new ArrayList<>();
            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(2))) {
                catalog.eligibleAmong(3_000, true, onDisk, row -> {
                    try {
                        // Synapse bumps last_access_ts meanwhile, then checkpoints: a reader's open snapshot
                        // would make the checkpoint report busy = 1
                        db.fixture().touch(row.ref(), 2_000);
                        checkpointBusy.add(checkpoint(db.writer().createStatement()));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(checkpointBusy).hasSize(6).containsOnly(0);
                assertThat(catalog.reread(List.of(new MediaRef(MediaKind.LOCAL, "", "media5"))).values())
                        .extracting(MediaRow::lastUsedTs).containsExactly(2_000L);
            }
        }
    }

    @Test
    void readsADatabaseNobodyHasOpen() throws SQLException {
        DatabaseConfig config;
        try (SynapseDatabase db = SynapseDatabase.create(Engine.SQLITE, tempDir)) {
            db.fixture().insertLocal("stopped", 3L, 1_000, null, null, null);
            config = db.config(10);
        } // Synapse stopped: its last connection removed the -wal and -shm files
        try (MediaCatalog catalog = SynapseCatalogs.open(config)) {
            List<MediaRow> rows = new ArrayList<>();
            catalog.eligibleAmong(3_000, false, List.of(local("stopped")), rows::add);
            assertThat(rows).extracting(MediaRow::mediaId).containsExactly("stopped");
        }
    }

    @Test
    void everyQueryUsesTheUniqueIndexes() throws SQLException {
        try (SynapseDatabase db = SynapseDatabase.create(Engine.SQLITE, tempDir)) {
            MediaRows columns = new MediaRows(true);
            SqliteDialect dialect = new SqliteDialect(columns);
            for (String sql : List.of(dialect.localSql(3), dialect.remoteSql(3))) {
                String plan = plan(db, sql);
                assertThat(plan).as(sql).contains("USING").doesNotContainPattern(
                        "SCAN (local_media_repository|remote_media_cache|r)( |$)");
            }
        }
    }

    private static DiskMediaId local(String mediaId) {
        return new DiskMediaId(MediaKind.LOCAL, "", mediaId);
    }

    private static String plan(SynapseDatabase db, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (var ps = db.writer().prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setString(i, "x");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append('\n');
                }
            }
        }
        return plan.toString();
    }

    private static int checkpoint(Statement st) throws SQLException {
        try (st; ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

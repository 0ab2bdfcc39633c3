package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.audit.AuditCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.testing.SynapseFixture.LocalMedia;
import org.mediaoffload.testing.SynapseFixture.RemoteMedia;

/**
 * The audit's point lookups (the lost re-check's re-reads) run on sessions of their own: a scan stalled in the
 * database (here behind a lock Synapse's own connection holds) does not hold them up, as it did when both took
 * turns on one session.
 */
class AuditCatalogSessionsTest {

    @TempDir
    Path tempDir;

    private SynapseDatabase db;

    @BeforeEach
    void createDatabase() throws SQLException {
        db = SynapseDatabase.create(Engine.POSTGRES, tempDir);
        db.fixture().insertLocals(List.of(new LocalMedia("localAAAAAAAAAAAAAAAAAAA", 1L, 1_000, null, null, null)));
        db.fixture().insertRemotes(List.of(new RemoteMedia("remote.example", "theirs", "fsidBBBBBBBBBBBBBBBBBBBB", 2L,
                1_000, null, null)));
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        db.close();
    }

    @Test
    void aRereadDoesNotWaitForAScanStalledInTheDatabase() throws Exception {
        try (AuditCatalog catalog = SynapseCatalogs.openForAudit(db.config(100));
                Connection synapse = db.postgres().connect()) {
            synapse.setAutoCommit(false);
            try (Statement st = synapse.createStatement()) {
                st.execute("LOCK TABLE remote_media_cache IN ACCESS EXCLUSIVE MODE");
            }
            AtomicLong scanned = new AtomicLong();
            CompletableFuture<Void> scan = CompletableFuture.runAsync(() -> catalog.scan(MediaKind.REMOTE,
                    new AuditCatalog.Sink() {
                        @Override
                        public void media(AuditCatalog.MediaEntry media) {
                            scanned.incrementAndGet();
                        }

                        @Override
                        public void thumbnail(AuditCatalog.ThumbnailEntry thumbnail) {
                        }
                    }));
            Map<MediaRef, MediaRow> reread;
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnALock(synapse));
                // On one shared session this waited for the stalled scan: bounded here, so the test fails, not hangs.
                reread = CompletableFuture.supplyAsync(() -> catalog.reread(List.of(
                        new MediaRef(MediaKind.LOCAL, "", "localAAAAAAAAAAAAAAAAAAA")))).get(20, TimeUnit.SECONDS);
                assertThat(scan).as("the scan still waits for Synapse's lock").isNotDone();
            } finally {
                synapse.rollback();
            }
            assertThat(reread).containsOnlyKeys(new MediaRef(MediaKind.LOCAL, "", "localAAAAAAAAAAAAAAAAAAA"));
            scan.get(60, TimeUnit.SECONDS);
            assertThat(scanned).hasValue(1);
            assertThat(catalog.connectionLosses()).isZero();
        }
    }

    /** Another backend of this database waits for a lock: the audit's scan, behind Synapse's. */
    private static boolean waitingOnALock(Connection synapse) throws SQLException {
        try (Statement st = synapse.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                        + " current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}

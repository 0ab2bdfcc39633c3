package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.Engine;
import org.mediaoffload.audit.AuditProgress;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.audit.AuditRequest;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * {@code audit --delete-orphans} past the grace against a store whose paged listing lies: a continuation token
 * answered with the listing's first page again (a token the store forgot, or a proxy that drops it), so keys repeat
 * and the keys after them are never listed. The merge with the database rests on the listing's order; a listing
 * that breaks it must not be judged, so nothing is deleted, and once the store lists honestly the two purged media
 * go and nothing else.
 */
class LyingListingAuditTest {
    @RegisterExtension
    static final MisbehavingServer S3 = new MisbehavingServer();

    @TempDir
    Path tmp;

    private OffloadHarness h;

    @AfterEach
    void close() throws Exception {
        S3.store().reset();
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aListingThatRepeatsItsFirstPageDeletesNothing() throws Exception {
        h = new OffloadHarness(Db.POSTGRES, tmp, S3.server());
        for (int i = 0; i < 60; i++) {
            String id = String.format("kept%020d", i);
            h.putObject(localOriginal(id), bytes(100, i), Optional.of(SSE_KEY));
            h.fixture().insertLocal(id, 100L, System.currentTimeMillis() - DAY_MS, null, null, null);
        }
        Set<String> purged = Set.of(h.key(localOriginal("purgedAAAAAAAAAAAAAAAAAA")),
                h.key(localOriginal("zpurgedBBBBBBBBBBBBBBBBB")));
        h.putObject(localOriginal("purgedAAAAAAAAAAAAAAAAAA"), bytes(100, 90), Optional.of(SSE_KEY));
        h.putObject(localOriginal("zpurgedBBBBBBBBBBBBBBBBB"), bytes(100, 91), Optional.of(SSE_KEY));
        h.pinTarget();
        Set<String> before = new HashSet<>(h.bucketKeys());
        assertThat(audit(Duration.ofHours(1)).orphanObjects()).as("the grace starts").isEqualTo(2);

        S3.store().pageListingsAt(7);
        S3.store().replayFirstPages(1_000);
        AuditReport lied = audit(Duration.ofDays(32));

        assertThat(lied.status()).as("%s", lied.errors()).isEqualTo(AuditReport.INCOMPLETE);
        assertThat(lied.orphansDeleted()).isZero();
        assertThat(new HashSet<>(h.bucketKeys())).isEqualTo(before);

        S3.store().reset();
        S3.store().pageListingsAt(7);
        AuditReport honest = audit(Duration.ofDays(32));
        assertThat(honest.orphansDeleted()).as("%s", honest.errors()).isEqualTo(2);
        assertThat(h.bucketKeys()).doesNotContainAnyElementsOf(purged).hasSize(60);
    }

    private AuditReport audit(Duration ahead) throws java.io.IOException {
        for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
            Files.createDirectories(h.mediaStore().resolve(top));
        }
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests,
                Clock.offset(Clock.systemUTC(), ahead))) {
            return engine.audit().run(new AuditRequest("test", 0, false, Optional.empty(), false, true,
                    OptionalDouble.empty()), AuditProgress.NONE);
        }
    }
}

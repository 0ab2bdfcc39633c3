package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mediaoffload.Engine;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.ToxicProxyExtension;

/**
 * A run capped by offload.max-run-duration against a store that stalls mid-run (S3Proxy behind a proxy that stops
 * passing bytes but keeps every connection open, with a request timeout of 30 s and 3 attempts per request): the
 * uploads and the verification listing on the wire at the cap must not hold the run. It ends TIME_LIMIT within
 * {@link #BOUND} of its cap, deletes only files whose upload a listing verified before the cap, counts nothing it left
 * as failed, and the next run (store thawed) uploads, verifies and deletes the rest.
 */
class WindDownAtTheCapTest extends EngineTestBase {
    private static final Duration CAP = Duration.ofSeconds(12);
    /**
     * The run's promise is 2 x OffloadRun.WIND_DOWN (4 s) past the cap; the rest is room for a loaded machine. A run
     * that waited for a stalled upload or listing would need at least one request timeout (30 s) past the freeze.
     */
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final int MEDIA = 120;
    /**
     * The store stalls once this many request bytes went through (about 20 of the 120 files' PUTs, so the first
     * verification listing may have been answered, and deletions made, or not): the rest are on the wire or queued
     * at the cap. The cap leaves room for them on a loaded machine: it counts from the run's start, target check
     * included.
     */
    private static final long FREEZE_AFTER_BYTES = 90_000;

    @RegisterExtension
    final ToxicProxyExtension toxic = new ToxicProxyExtension();

    @Test
    void aStalledStoreDoesNotHoldTheRunPastItsCapAndTheNextRunFinishesTheWork() throws Exception {
        harness(Db.SQLITE);
        h.concurrency = Optional.of(4);
        for (int i = 0; i < MEDIA; i++) {
            h.addLocal(mediaId(i), bytes(3_000, i), 3 * DAY_MS);
        }
        h.endpointOverride = Optional.of(toxic.start(server.securePort()).httpsEndpoint());
        h.maxRunDuration = CAP;
        // Stalls once about a sixth of the files' request bytes went upstream (TLS records, headers and bodies of
        // 3,000 bytes each): the store hangs mid-run with uploads on the wire and most of the work still to do.
        toxic.proxy().freezeAfter(FREEZE_AFTER_BYTES);

        RunSummary capped;
        try (Engine engine = h.openEngine(RunListener.NONE)) {
            CompletableFuture<RunSummary> run =
                    CompletableFuture.supplyAsync(() -> engine.coordinator().runNow("test", false));
            await().atMost(CAP.plus(BOUND)).until(() -> toxic.proxy().frozen() || run.isDone());
            assertThat(toxic.proxy().frozen()).as("the store was frozen before the run ended").isTrue();
            await().atMost(CAP.plus(BOUND)).until(run::isDone);
            capped = run.join();
        }

        Duration took = Duration.between(capped.startedAt(), capped.endedAt());
        assertThat(took).as("run wall").isLessThan(CAP.plus(BOUND));
        assertThat(capped.status()).isEqualTo(RunStatus.TIME_LIMIT);
        assertThat(capped.filesUploaded()).as("uploaded before the stall").isPositive().isLessThan(MEDIA);
        assertThat(capped.filesFailed()).as("what the cap left is not a failure: %s", capped.errors()).isZero();
        assertThat(capped.errors()).anySatisfy(e -> assertThat(e).contains("offload.max-run-duration reached"));
        assertThat(capped.filesDeleted()).isLessThan(MEDIA);

        // Thawed: whatever the capped run deleted was verified before it was deleted, and its object is intact.
        toxic.proxy().forward();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < MEDIA; i++) {
            keys.add(h.key(localOriginal(mediaId(i))));
        }
        int deleted = 0;
        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(h.stateDir())) {
            Map<String, JournalEntry> entries = journal.lookup(keys);
            for (int i = 0; i < MEDIA; i++) {
                String path = localOriginal(mediaId(i));
                if (!h.localExists(path)) {
                    deleted++;
                    assertThat(entries.get(keys.get(i))).as(path).extracting(JournalEntry::state)
                            .isEqualTo(FileState.DELETED);
                    assertThat(h.objectBytes(path)).as(path).contains(bytes(3_000, i));
                }
            }
        }
        assertThat(deleted).isEqualTo(capped.filesDeleted());

        h.maxRunDuration = Duration.ZERO;
        RunSummary next = h.run();
        assertThat(next.status()).as("%s", next.errors()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(capped.filesDeleted() + next.filesDeleted()).isEqualTo(MEDIA);
        for (int i = 0; i < MEDIA; i++) {
            String path = localOriginal(mediaId(i));
            assertThat(h.localExists(path)).as(path).isFalse();
            assertThat(h.objectBytes(path)).as(path).contains(bytes(3_000, i));
        }
    }

    private static String mediaId(int i) {
        return String.format("winddown%016d", i);
    }
}

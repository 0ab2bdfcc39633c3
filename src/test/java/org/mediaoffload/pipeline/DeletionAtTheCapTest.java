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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mediaoffload.Engine;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.testing.DatabaseConfigBuilder;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.ToxicProxy;
import org.mediaoffload.testing.ToxicProxyExtension;

/**
 * A run capped by offload.max-run-duration ends at its cap even when its deletions cannot: the database re-check of
 * the verified media hangs (PostgreSQL behind a relay that stops forwarding, with a socket timeout far beyond the
 * cap). The run ends TIME_LIMIT with every file kept and journaled VERIFIED; the re-check's late answer deletes
 * nothing; the next run deletes them all.
 */
class DeletionAtTheCapTest extends EngineTestBase {
    private static final Duration CAP = Duration.ofSeconds(10);
    /** Far beyond the cap: a run that waited for the hung re-check would end only after it. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(300);
    /** A behavioural bound, generous against a loaded machine, and still far below the socket timeout. */
    private static final Duration BOUND = CAP.plusSeconds(80);
    private static final int MEDIA = 12;

    @RegisterExtension
    final ToxicProxyExtension toxic = new ToxicProxyExtension();

    @Test
    void aHungReCheckDoesNotHoldTheRunPastItsCapAndDeletesNothingWhenItReturns() throws Exception {
        harness(Db.POSTGRES);
        for (int i = 0; i < MEDIA; i++) {
            h.addLocal(mediaId(i), bytes(2_000, i), 3 * DAY_MS);
        }
        DatabaseConfig direct = h.databaseConfig();
        ToxicProxy proxy = toxic.start(direct.port());
        h.databaseOverride = c -> DatabaseConfigBuilder.from(c).host(Optional.of("127.0.0.1")).port(proxy.port())
                .statementTimeout(Duration.ofSeconds(1)).loginTimeout(Duration.ofSeconds(2))
                .socketTimeout(SOCKET_TIMEOUT).build();
        h.maxRunDuration = CAP;
        // Discovery has read every row before the first upload returns (12 media are one chunk): from then on only
        // the deletions' re-check needs the database.
        AtomicBoolean frozen = new AtomicBoolean();
        RunListener freezeAtFirstUpload = new RunListener() {
            @Override
            public void fileFinished(FileOutcome outcome, long bytes) {
                if (frozen.compareAndSet(false, true)) {
                    toxic.proxy().freeze();
                }
            }
        };

        RunSummary capped;
        try (Engine engine = h.openEngine(freezeAtFirstUpload)) {
            CompletableFuture<RunSummary> run =
                    CompletableFuture.supplyAsync(() -> engine.coordinator().runNow("test", false));
            await().atMost(BOUND).untilTrue(frozen);

            await().atMost(BOUND).until(run::isDone);
            capped = run.join();
        }

        assertThat(capped.status()).isEqualTo(RunStatus.TIME_LIMIT);
        assertThat(capped.filesUploaded()).isEqualTo(MEDIA);
        assertThat(capped.filesDeleted()).isZero();
        assertEveryFileKept();
        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(h.stateDir())) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < MEDIA; i++) {
                keys.add(h.key(localOriginal(mediaId(i))));
            }
            Map<String, JournalEntry> entries = journal.lookup(keys);
            assertThat(entries).hasSize(MEDIA);
            assertThat(entries.values()).allSatisfy(e -> assertThat(e.state()).isEqualTo(FileState.VERIFIED));
        }

        // Thawed, the held re-check reaches PostgreSQL and is answered: the stage it belonged to has been abandoned,
        // so its answer deletes nothing.
        toxic.proxy().forward();
        String stageThread = "offload-delete-" + capped.runId();
        await().atMost(BOUND).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals(stageThread)));
        assertEveryFileKept();

        h.maxRunDuration = Duration.ZERO;
        RunSummary next = h.run();
        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.filesDeleted()).isEqualTo(MEDIA);
        assertThat(next.filesUploaded()).as("proven by the journal, not uploaded again").isZero();
    }

    private void assertEveryFileKept() {
        for (int i = 0; i < MEDIA; i++) {
            assertThat(h.localExists(localOriginal(mediaId(i)))).as(mediaId(i)).isTrue();
        }
    }

    private static String mediaId(int i) {
        return String.format("capped%018d", i);
    }
}

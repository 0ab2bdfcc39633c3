package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mediaoffload.Engine;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.testing.DatabaseConfigBuilder;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.ToxicProxy;
import org.mediaoffload.testing.ToxicProxyExtension;

/**
 * A PostgreSQL that accepts connections but never answers (a relay that stops forwarding): the run ends within
 * 2 x the socket timeout + 10 s, as ABORTED, and deletes nothing.
 */
class FrozenDatabaseTest extends EngineTestBase {
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);
    /** The promise in the README; a behavioural bound, generous against a loaded machine by design. */
    private static final Duration BOUND = SOCKET_TIMEOUT.multipliedBy(2).plusSeconds(10);
    private static final int MEDIA = 12;

    @RegisterExtension
    final ToxicProxyExtension toxic = new ToxicProxyExtension();

    @Test
    void aDatabaseThatFreezesBeforeTheScanEndsTheRunWithinTheBound() throws Exception {
        throughFrozenProxy();
        try (Engine engine = h.openEngine(RunListener.NONE)) {
            toxic.proxy().freeze();

            CompletableFuture<RunSummary> run =
                    CompletableFuture.supplyAsync(() -> engine.coordinator().runNow("test", false));

            await().atMost(BOUND).until(run::isDone);
            RunSummary summary = run.join();
            assertThat(summary.status()).isEqualTo(RunStatus.ABORTED);
            assertThat(summary.errors()).anySatisfy(e -> assertThat(e)
                    .contains("did not answer within offload.database.socket-timeout"));
            assertThat(summary.filesDeleted()).isZero();
            assertEveryFileKept();
        }
    }

    @Test
    void aDatabaseThatFreezesAfterTheUploadsStartKeepsEveryFileAndSkipsFurtherReChecks() throws Exception {
        throughFrozenProxy();
        AtomicBoolean frozen = new AtomicBoolean();
        RunListener freezeAtFirstUpload = new RunListener() {
            @Override
            public void fileFinished(FileOutcome outcome, long bytes) {
                if (frozen.compareAndSet(false, true)) {
                    toxic.proxy().freeze();
                }
            }
        };
        try (Engine engine = h.openEngine(freezeAtFirstUpload)) {
            CompletableFuture<RunSummary> run =
                    CompletableFuture.supplyAsync(() -> engine.coordinator().runNow("test", false));
            await().atMost(Duration.ofSeconds(60)).untilTrue(frozen);

            await().atMost(BOUND).until(run::isDone);
            RunSummary summary = run.join();
            assertThat(summary.status()).isEqualTo(RunStatus.ABORTED);
            assertThat(summary.filesUploaded()).isPositive();
            assertThat(summary.filesDeleted()).isZero();
            assertEveryFileKept();
        }

        // Thawed, the next run deletes what is proven: nothing was lost, only postponed.
        toxic.proxy().forward();
        RunSummary next = h.run();
        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.filesDeleted()).isEqualTo(MEDIA);
    }

    @SuppressWarnings("try") // opening is the test: the engine is only closed
    @Test
    void aConnectionAttemptToAFrozenDatabaseEndsWithinTheLoginTimeout() throws Exception {
        throughFrozenProxy();
        toxic.proxy().freeze();

        CompletableFuture<Throwable> open = CompletableFuture.supplyAsync(() -> {
            try (Engine engine = h.openEngine(RunListener.NONE)) {
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });

        await().atMost(LOGIN_TIMEOUT.plusSeconds(10)).until(open::isDone);
        assertThat(open.join()).isInstanceOf(CatalogException.class)
                .hasMessageContaining("Cannot connect to")
                .hasMessageContaining("offload.database.login-timeout");
        assertEveryFileKept();
    }

    private void throughFrozenProxy() throws Exception {
        harness(Db.POSTGRES);
        for (int i = 0; i < MEDIA; i++) {
            h.addLocal(mediaId(i), bytes(2_000, i), 3 * DAY_MS);
        }
        DatabaseConfig direct = h.databaseConfig();
        ToxicProxy proxy = toxic.start(direct.port());
        h.databaseOverride = c -> DatabaseConfigBuilder.from(c).host(Optional.of("127.0.0.1")).port(proxy.port())
                .statementTimeout(STATEMENT_TIMEOUT).loginTimeout(LOGIN_TIMEOUT).socketTimeout(SOCKET_TIMEOUT).build();
    }

    private void assertEveryFileKept() {
        for (int i = 0; i < MEDIA; i++) {
            assertThat(h.localExists(localOriginal(mediaId(i)))).as(mediaId(i)).isTrue();
        }
    }

    private static String mediaId(int i) {
        return String.format("frozen%018d", i);
    }
}

package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.OTHER_SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mediaoffload.Engine;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.ToxicProxyExtension;
import org.slf4j.LoggerFactory;

/**
 * A first run's target check (bucket preflight, then a sample of the objects under the prefix) runs while discovery
 * already reads disk and database. Made visible by holding the check: the store is frozen (a proxy that passes no
 * byte) until discovery has logged that it is done, then thawed. What discovery counted meanwhile must count only for a
 * run that goes ahead: a refused run reports every figure as zero and uploads nothing; an admitted one reports them
 * all.
 */
class TargetCheckDuringDiscoveryTest extends EngineTestBase {
    private static final int MEDIA = 30;
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    final ToxicProxyExtension toxic = new ToxicProxyExtension();

    @Test
    void aRunRefusedAfterItsDiscoveryRanAheadReportsEveryFigureAsZeroAndUploadsNothing() throws Exception {
        harness(Db.SQLITE);
        // Objects another key wrote: the sample finds that ours does not read them, so the first run is refused.
        for (int i = 0; i < 6; i++) {
            h.putObject(localOriginal(String.format("otherKey%016d", i)), bytes(200, i), Optional.of(OTHER_SSE_KEY));
        }
        addWork();

        RunSummary refused = runWithTheCheckHeldUntilDiscoveryIsDone();

        assertThat(refused.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(String.join("\n", refused.errors())).contains("does not decrypt with our SSE-C key")
                .doesNotContain("upload still pending");
        assertThat(refused.mediaScanned()).isZero();
        assertThat(refused.mediaSkipped()).isZero();
        assertThat(refused.filesUploaded()).isZero();
        assertThat(refused.filesAlreadyInStore()).isZero();
        assertThat(refused.filesDeleted()).isZero();
        assertThat(refused.filesFailed()).isZero();
        assertThat(refused.filesSkipped()).isZero();
        assertThat(refused.backlogFiles()).isZero();
        assertThat(refused.backlogBytes()).isZero();
        assertThat(h.requests.count("PutObject")).isZero();
        for (int i = 0; i < MEDIA; i++) {
            assertThat(h.localExists(localOriginal(mediaId(i)))).isTrue();
        }
    }

    @Test
    void anAdmittedRunCountsWhatItsDiscoveryFoundDuringTheCheck() throws Exception {
        harness(Db.SQLITE);
        addWork();

        RunSummary admitted = runWithTheCheckHeldUntilDiscoveryIsDone();

        assertThat(admitted.status()).as("%s", admitted.errors()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(admitted.mediaScanned()).isEqualTo(MEDIA + 1);
        assertThat(admitted.mediaSkipped()).isEqualTo(1);
        assertThat(admitted.errors()).anySatisfy(e -> assertThat(e).contains("upload still pending"));
        assertThat(admitted.filesUploaded()).isEqualTo(MEDIA);
        assertThat(admitted.filesDeleted()).isEqualTo(MEDIA);
    }

    /** {@link #MEDIA} eligible media, and one whose upload is still pending (a skip, with its reason). */
    private void addWork() throws Exception {
        for (int i = 0; i < MEDIA; i++) {
            h.addLocal(mediaId(i), bytes(500, i), 3 * DAY_MS);
        }
        h.writeFile(localOriginal("pendingUploadFFFFFFFFFFF"), bytes(100, 99));
        h.fixture().insertLocal("pendingUploadFFFFFFFFFFF", null, System.currentTimeMillis() - 9 * DAY_MS, null, null,
                null);
    }

    private RunSummary runWithTheCheckHeldUntilDiscoveryIsDone() throws Exception {
        h.endpointOverride = Optional.of(toxic.start(server.securePort()).httpsEndpoint());
        h.requests.reset();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        Logger discovery = (Logger) LoggerFactory.getLogger(DiscoveryStream.class);
        events.start();
        discovery.addAppender(events);
        try (Engine engine = h.openEngine(RunListener.NONE)) {
            toxic.proxy().freeze();
            CompletableFuture<RunSummary> run =
                    CompletableFuture.supplyAsync(() -> engine.coordinator().runNow("test", false));
            await().atMost(BOUND).until(() -> events.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().startsWith("Discovery done")));
            assertThat(run).as("the target check is held by the frozen store").isNotDone();
            toxic.proxy().forward();
            await().atMost(BOUND).until(run::isDone);
            return run.join();
        } finally {
            discovery.detachAppender(events);
        }
    }

    private static String mediaId(int i) {
        return String.format("during%018d", i);
    }
}

package org.mediaoffload.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mediaoffload.config.ScheduleConfig;
import org.mediaoffload.fakes.FakeRunControl;
import org.mediaoffload.pipeline.RunStatus;

class OffloadSchedulerTest {
    private static final String EVERY_SECOND = "* * * * * ?";
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final FakeRunControl runs = new FakeRunControl(Clock.systemUTC());
    private final ExecutorService closer = Executors.newSingleThreadExecutor();
    private OffloadScheduler scheduler;

    @AfterEach
    void tearDown() {
        if (runs.running()) {
            runs.finish(RunStatus.SUCCEEDED);
        }
        if (scheduler != null) {
            scheduler.close();
        }
        closer.shutdownNow();
    }

    private OffloadScheduler start(String cron, boolean catchUp, Optional<Instant> lastRunStart) {
        scheduler = new OffloadScheduler(new ScheduleConfig(cron, UTC, catchUp, Duration.ZERO), runs, lastRunStart);
        return scheduler;
    }

    @Test
    void runsOnTheCronScheduleAndNeverOverlaps() {
        start(EVERY_SECOND, false, Optional.empty());

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.starts().size() == 1);
        // The cron fires every second meanwhile; a second run must not even be attempted while one is going.
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> runs.attempts() == 1);
        runs.finish(RunStatus.SUCCEEDED);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.starts().size() == 2);

        assertThat(runs.maxConcurrent()).isEqualTo(1);
        assertThat(runs.starts()).allSatisfy(s -> {
            assertThat(s.trigger()).isEqualTo("schedule");
            assertThat(s.dryRun()).isFalse();
        });
    }

    @Test
    void aFailingRunDoesNotStopTheSchedule() {
        runs.failNextStart(new IllegalStateException("database unreachable"));
        start(EVERY_SECOND, false, Optional.empty());

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.starts().size() == 1);
        assertThat(runs.attempts()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFiringDuringAManualRunIsSkippedAndTheNextOneRuns() {
        runs.startRun("http", false);
        start(EVERY_SECOND, false, Optional.empty());

        // Each firing is refused by the engine (one run at a time); the job logs it and the schedule goes on.
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.attempts() >= 3);
        assertThat(runs.starts()).extracting(s -> s.trigger()).containsExactly("http");
        runs.finish(RunStatus.SUCCEEDED);

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.starts().size() == 2);
        assertThat(runs.starts().get(1).trigger()).isEqualTo("schedule");
    }

    @Test
    void catchesUpAMissedRunAtStart() {
        start("0 0 5 * * ?", true, Optional.of(Instant.now().minus(Duration.ofDays(2))));

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.starts().size() == 1);
    }

    @Test
    void doesNotCatchUpWhenSwitchedOff() {
        start("0 0 5 * * ?", false, Optional.of(Instant.now().minus(Duration.ofDays(2))));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> runs.attempts() == 0);
    }

    @Test
    void reportsTheNextFireTimeInTheConfiguredZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        scheduler = new OffloadScheduler(new ScheduleConfig("0 0 5 * * ?", berlin, false, Duration.ZERO), runs,
                Optional.empty());

        ZonedDateTime now = ZonedDateTime.now(berlin);
        ZonedDateTime expected = now.toLocalDate().atTime(5, 0).atZone(berlin);
        if (!expected.isAfter(now)) {
            expected = now.toLocalDate().plusDays(1).atTime(5, 0).atZone(berlin);
        }
        assertThat(scheduler.nextFireTime()).contains(expected.toInstant());
    }

    @Test
    void closeCancelsTheScheduledRunInProgressAndWaitsForIt() {
        start(EVERY_SECOND, false, Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(runs::running);

        scheduler.close();
        scheduler = null;

        assertThat(runs.cancels()).isGreaterThanOrEqualTo(1);
        assertThat(runs.running()).isFalse();
        assertThat(runs.history(1)).singleElement().extracting(s -> s.status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void aRandomDelayIsWaitedOutAndCutShortByClose() {
        AtomicBoolean delayChosen = new AtomicBoolean();
        RandomGenerator longest = new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long origin, long bound) {
                delayChosen.set(true);
                return bound - 1;
            }
        };
        scheduler = new OffloadScheduler(new ScheduleConfig(EVERY_SECOND, UTC, false, Duration.ofHours(1)), runs,
                Optional.empty(), Clock.systemUTC(), longest);
        await().atMost(Duration.ofSeconds(10)).untilTrue(delayChosen);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(scheduler::close, closer);
        scheduler = null;

        await().atMost(Duration.ofSeconds(10)).until(closing::isDone);
        assertThat(closing).isNotCompletedExceptionally();
        assertThat(runs.attempts()).isZero();
    }

    @Test
    void rejectsABadCronNamingTheSetting() {
        assertThatThrownBy(() -> start("every day at five", false, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offload.schedule.cron")
                .hasMessageContaining("every day at five");
    }
}

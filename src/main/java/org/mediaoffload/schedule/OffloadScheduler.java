package org.mediaoffload.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.mediaoffload.config.ScheduleConfig;
import org.mediaoffload.pipeline.RunControl;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires scheduled runs from {@code offload.schedule}: Quartz in memory with one thread, so runs never overlap.
 * Starts on construction. {@link #close()} is for shutdown: it stops triggering, asks the engine to cancel the run in
 * progress (whoever started it) and waits for a scheduled run to return.
 */
public final class OffloadScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OffloadScheduler.class);

    private final CronJobScheduler quartz;

    public OffloadScheduler(ScheduleConfig config, RunControl runs, Optional<Instant> lastRunStart) {
        this(config, runs, lastRunStart, Clock.systemUTC(), new Random());
    }

    public OffloadScheduler(ScheduleConfig config, RunControl runs, Optional<Instant> lastRunStart, Clock clock,
            RandomGenerator random) {
        requireNonNull(config, "config is null");
        requireNonNull(runs, "runs is null");
        requireNonNull(lastRunStart, "lastRunStart is null");
        requireNonNull(clock, "clock is null");
        CronExpression cron = config.cronExpression();
        OffloadJob job = new OffloadJob(runs, config.randomDelay(), random);
        boolean catchUp = config.catchUp() && CatchUp.missed(cron, lastRunStart, clock.instant());
        if (catchUp) {
            log.info("A scheduled run was missed since {}; catching up now", lastRunStart.orElseThrow());
        }
        quartz = CronJobScheduler.start("offload", job, cron, catchUp, "schedule");
        log.info("Schedule '{}' ({}); next run at {}", config.cron(), config.timeZone(),
                nextFireTime().map(Instant::toString).orElse("never"));
    }

    /** When the cron trigger fires next (before any random delay); empty once it never will again. */
    public Optional<Instant> nextFireTime() {
        return quartz.nextFireTime();
    }

    @Override
    public void close() {
        // Interrupting the job stops a random delay and cancels the run (the engine stops it safely).
        quartz.stop();
    }
}

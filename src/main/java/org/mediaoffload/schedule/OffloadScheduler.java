package org.mediaoffload.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.mediaoffload.config.ScheduleConfig;
import org.mediaoffload.pipeline.RunControl;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires scheduled runs from {@code offload.schedule}: Quartz in memory with one thread, so runs never overlap.
 * Starts on construction. {@link #close()} is for shutdown: it stops triggering, asks the engine to cancel the run in
 * progress (whoever started it) and waits for a scheduled run to return.
 */
public final class OffloadScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OffloadScheduler.class);
    /** Quartz keeps schedulers in a JVM-wide repository by name; tests start several. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final JobKey JOB = JobKey.jobKey("offload");
    private static final TriggerKey CRON = TriggerKey.triggerKey("offload-cron");

    private final Scheduler scheduler;
    private final OffloadJob job;

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
        job = new OffloadJob(runs, config.randomDelay(), random);
        try {
            scheduler = new StdSchedulerFactory(quartzProperties()).getScheduler();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
        try {
            // Hand Quartz our ready-made job instead of letting it instantiate classes by reflection.
            scheduler.setJobFactory((bundle, s) -> job);
            JobDetail detail = JobBuilder.newJob(OffloadJob.class).withIdentity(JOB).build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(CRON)
                    .withSchedule(CronScheduleBuilder.cronSchedule(cron)
                            // A firing missed while a long run was going is not made up: the next one comes.
                            .withMisfireHandlingInstructionDoNothing())
                    .build();
            scheduler.scheduleJob(detail, trigger);
            scheduler.start();
            if (config.catchUp() && CatchUp.missed(cron, lastRunStart, clock.instant())) {
                log.info("A scheduled run was missed since {}; catching up now", lastRunStart.orElseThrow());
                scheduler.triggerJob(JOB);
            }
        } catch (SchedulerException | RuntimeException e) {
            shutDownQuietly(e);
            throw new IllegalStateException("cannot start the schedule: " + e.getMessage(), e);
        }
        log.info("Schedule '{}' ({}); next run at {}", config.cron(), config.timeZone(),
                nextFireTime().map(Instant::toString).orElse("never"));
    }

    /** When the cron trigger fires next (before any random delay); empty once it never will again. */
    public Optional<Instant> nextFireTime() {
        try {
            Trigger trigger = scheduler.getTrigger(CRON);
            return Optional.ofNullable(trigger).map(Trigger::getNextFireTime).map(Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            scheduler.standby();
            // shutdown(true) joins Quartz's scheduler thread *before* it interrupts jobs, and that thread waits
            // for our single worker to become free: without interrupting first, close() would wait for the whole
            // run. Interrupting stops a random delay and cancels the run (the engine stops it safely).
            job.interrupt();
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot stop the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    private void shutDownQuietly(Exception cause) {
        try {
            scheduler.shutdown(false);
        } catch (SchedulerException e) {
            cause.addSuppressed(e);
        }
    }

    /** Also used by {@link AuditScheduler}: an in-memory Quartz with one thread. */
    static Properties quartzProperties() {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "offload-" + INSTANCES.incrementAndGet());
        p.setProperty("org.quartz.scheduler.threadName", "offload-scheduler");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        // Only this flag (not interruptJobsOnShutdown) interrupts jobs when shutdown(true) waits for them.
        p.setProperty("org.quartz.scheduler.interruptJobsOnShutdownWithWait", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "offload-schedule");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        return p;
    }
}

package org.mediaoffload.schedule;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.InterruptableJob;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;

/**
 * One ready-made job fired by one cron trigger on its own in-memory Quartz with one thread, so firings of the job
 * never overlap: the Quartz part that {@link OffloadScheduler} and {@link AuditScheduler} share. Each keeps its
 * own Quartz so that an audit waiting for a run's end never delays the run schedule's thread.
 */
final class CronJobScheduler {
    /** Quartz keeps schedulers in a JVM-wide repository by name; tests start several. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Scheduler scheduler;
    private final InterruptableJob job;
    private final JobKey jobKey;
    private final TriggerKey triggerKey;
    private final String what;

    /**
     * Schedules {@code job} on {@code cron} and starts; with {@code fireNow} the job also fires at once.
     *
     * @param name names the job and trigger
     * @param what the schedule in messages, e.g. "audit schedule"
     */
    static CronJobScheduler start(String name, InterruptableJob job, CronExpression cron, boolean fireNow,
            String what) {
        Scheduler scheduler;
        try {
            scheduler = new StdSchedulerFactory(quartzProperties()).getScheduler();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler for the " + what + ": "
                    + e.getMessage(), e);
        }
        CronJobScheduler started = new CronJobScheduler(scheduler, job, name, what);
        try {
            // Hand Quartz our ready-made job instead of letting it instantiate classes by reflection.
            scheduler.setJobFactory((bundle, s) -> job);
            scheduler.scheduleJob(JobBuilder.newJob(job.getClass()).withIdentity(started.jobKey).build(),
                    TriggerBuilder.newTrigger().withIdentity(started.triggerKey)
                            .withSchedule(CronScheduleBuilder.cronSchedule(cron)
                                    // A firing missed while the job was busy is not made up: the next one comes.
                                    .withMisfireHandlingInstructionDoNothing())
                            .build());
            scheduler.start();
            if (fireNow) {
                scheduler.triggerJob(started.jobKey);
            }
        } catch (SchedulerException | RuntimeException e) {
            try {
                scheduler.shutdown(false);
            } catch (SchedulerException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot start the " + what + ": " + e.getMessage(), e);
        }
        return started;
    }

    private CronJobScheduler(Scheduler scheduler, InterruptableJob job, String name, String what) {
        this.scheduler = scheduler;
        this.job = job;
        this.jobKey = JobKey.jobKey(name);
        this.triggerKey = TriggerKey.triggerKey(name + "-cron");
        this.what = what;
    }

    /** When the cron trigger fires next; empty once it never will again. */
    Optional<Instant> nextFireTime() {
        try {
            return Optional.ofNullable(scheduler.getTrigger(triggerKey)).map(Trigger::getNextFireTime)
                    .map(Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /** Stops triggering, interrupts the job (in progress or about to start) and waits for it to return. */
    void stop() {
        try {
            scheduler.standby();
            // shutdown(true) joins Quartz's scheduler thread *before* it interrupts jobs, and while our single
            // worker is busy that thread waits for it to become free: without interrupting first, stop() would
            // wait for the whole run or audit (AuditSchedulerTest hung there until this was done for audits too).
            job.interrupt();
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot stop the " + what + ": " + e.getMessage(), e);
        }
    }

    private static Properties quartzProperties() {
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

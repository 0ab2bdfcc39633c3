package org.mediaoffload.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Optional;
import org.mediaoffload.audit.AuditControl;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.config.AuditConfig;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
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
 * Fires the daemon's audits from {@code offload.audit.cron} (in the schedule's time zone). Its own Quartz, so an
 * audit waiting for a run's end never delays the run schedule's thread; the two meet at the daemon's work gate.
 */
public final class AuditScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditScheduler.class);
    private static final JobKey JOB = JobKey.jobKey("audit");
    private static final TriggerKey CRON = TriggerKey.triggerKey("audit-cron");
    static final String TRIGGER = "schedule";

    private final Scheduler scheduler;
    private final AuditJob job;

    public AuditScheduler(AuditConfig config, ZoneId timeZone, AuditControl audits) {
        requireNonNull(config, "config is null");
        requireNonNull(timeZone, "timeZone is null");
        job = new AuditJob(requireNonNull(audits, "audits is null"));
        CronExpression cron = config.cronExpression(timeZone);
        try {
            scheduler = new StdSchedulerFactory(OffloadScheduler.quartzProperties()).getScheduler();
            scheduler.setJobFactory((bundle, s) -> job);
            scheduler.scheduleJob(JobBuilder.newJob(AuditJob.class).withIdentity(JOB).build(),
                    TriggerBuilder.newTrigger().withIdentity(CRON)
                            .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionDoNothing())
                            .build());
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the audit schedule: " + e.getMessage(), e);
        }
        log.info("Audit schedule '{}' ({}); next audit at {}", config.cron(), timeZone,
                nextFireTime().map(Instant::toString).orElse("never"));
    }

    public Optional<Instant> nextFireTime() {
        try {
            return Optional.ofNullable(scheduler.getTrigger(CRON)).map(Trigger::getNextFireTime).map(Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /** Stops triggering and interrupts an audit in progress (it ends INCOMPLETE) or one waiting for a run. */
    @Override
    public void close() {
        try {
            scheduler.standby();
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot stop the audit scheduler: " + e.getMessage(), e);
        }
    }

    @DisallowConcurrentExecution
    static final class AuditJob implements InterruptableJob {
        private final AuditControl audits;
        private volatile Thread running;

        AuditJob(AuditControl audits) {
            this.audits = audits;
        }

        @Override
        public void execute(JobExecutionContext context) {
            running = Thread.currentThread();
            try {
                AuditReport report = audits.runNow(TRIGGER);
                log.info("Scheduled audit {} ended: {}", report.id(), report.status());
            } catch (RuntimeException e) {
                log.error("Scheduled audit failed", e);
            } finally {
                running = null;
            }
        }

        @Override
        public void interrupt() {
            Thread t = running;
            if (t != null) {
                t.interrupt();
            }
        }
    }
}

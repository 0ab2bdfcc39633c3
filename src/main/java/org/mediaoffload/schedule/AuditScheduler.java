package org.mediaoffload.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.mediaoffload.audit.AuditControl;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.config.AuditConfig;
import org.quartz.CronExpression;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the daemon's audits from {@code offload.audit.cron} (in the schedule's time zone). Its own Quartz, so an
 * audit waiting for a run's end never delays the run schedule's thread; the two meet at the daemon's work gate.
 */
public final class AuditScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditScheduler.class);
    static final String TRIGGER = "schedule";

    private final CronJobScheduler quartz;

    public AuditScheduler(AuditConfig config, ZoneId timeZone, AuditControl audits) {
        requireNonNull(config, "config is null");
        requireNonNull(timeZone, "timeZone is null");
        AuditJob job = new AuditJob(requireNonNull(audits, "audits is null"));
        CronExpression cron = config.cronExpression(timeZone);
        quartz = CronJobScheduler.start("audit", job, cron, false, "audit schedule");
        log.info("Audit schedule '{}' ({}); next audit at {}", config.cron(), timeZone,
                nextFireTime().map(Instant::toString).orElse("never"));
    }

    public Optional<Instant> nextFireTime() {
        return quartz.nextFireTime();
    }

    /** Stops triggering and interrupts an audit in progress (it ends INCOMPLETE) or one waiting for a run. */
    @Override
    public void close() {
        quartz.stop();
    }

    @DisallowConcurrentExecution
    static final class AuditJob implements InterruptableJob {
        private final AuditControl audits;
        private volatile Thread running;
        private volatile boolean stopped;

        AuditJob(AuditControl audits) {
            this.audits = audits;
        }

        @Override
        public void execute(JobExecutionContext context) {
            running = Thread.currentThread();
            try {
                if (stopped) {
                    return; // close() came between the firing and here: interrupting `running` was too early
                }
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
            stopped = true;
            Thread t = running;
            if (t != null) {
                t.interrupt();
            }
        }
    }
}

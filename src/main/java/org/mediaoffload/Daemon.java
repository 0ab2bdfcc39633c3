package org.mediaoffload;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mediaoffload.audit.AuditCoordinator;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.http.AdminServer;
import org.mediaoffload.http.MetricsServer;
import org.mediaoffload.http.StatusInfo;
import org.mediaoffload.http.TargetAccess;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.RunCoordinator;
import org.mediaoffload.pipeline.ExclusiveRuns;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.pipeline.WorkGate;
import org.mediaoffload.schedule.AuditScheduler;
import org.mediaoffload.schedule.OffloadScheduler;
import org.mediaoffload.pin.PinnedTarget;
import org.mediaoffload.pin.TargetAcceptance;
import org.mediaoffload.pin.TargetGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running service: the engine, its metrics, the schedule and the HTTP listeners, wired in one place.
 * Shutdown stops the triggers first, gives the current run {@code offload.shutdown-grace} to finish its in-flight
 * transfers (nothing unverified is ever deleted), then closes the engine.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final OffloadConfig config;
    private final OffloadMetrics metrics;
    private final Engine engine;
    private final OffloadScheduler scheduler;
    private final ExclusiveRuns runs;
    private final AuditCoordinator audits;
    private final AuditScheduler auditScheduler;
    private final AdminServer admin;
    private final Optional<MetricsServer> metricsServer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Daemon(OffloadConfig config, Clock clock) {
        this.config = config;
        this.metrics = OffloadMetrics.create(config.mediaStorePath());
        Engine started = null;
        OffloadScheduler startedScheduler = null;
        ExclusiveRuns startedRuns = null;
        AuditCoordinator startedAudits = null;
        AuditScheduler startedAuditScheduler = null;
        AdminServer startedAdmin = null;
        try {
            started = Engine.open(config, "daemon", metrics, metrics::s3RequestCompleted, clock);
            // A restart must not look like "never succeeded" on the dashboard.
            metrics.restore(started.journal().lastRun(), started.journal().lastSuccess());
            metrics.restoreAudit(started.auditJournal().latest());
            TargetGuard target = started.target();
            metrics.watchTarget(target::mismatched);
            RunCoordinator coordinator = started.coordinator();
            TargetAccess targetAccess = new TargetAccess() {
                @Override
                public TargetGuard.View view() {
                    return target.view();
                }

                @Override
                public TargetAcceptance.Outcome accept() {
                    return coordinator.whileIdle(() -> target.accept("POST /api/v1/target"));
                }
            };
            // One work slot: a scheduled run due during an audit waits for it, and the reverse.
            WorkGate gate = new WorkGate();
            startedRuns = new ExclusiveRuns(coordinator, gate);
            startedAudits = new AuditCoordinator(started.audit(), started.auditJournal(), gate, metrics, clock);
            Optional<java.time.Instant> lastStart = started.journal().lastRun().map(RunSummary::startedAt);
            startedScheduler = new OffloadScheduler(config.schedule(), startedRuns, lastStart);
            startedAuditScheduler = new AuditScheduler(config.audit(), config.schedule().timeZone(), startedAudits);
            OffloadScheduler schedule = startedScheduler;
            AuditCoordinator auditsForPage = startedAudits;
            startedAdmin = new AdminServer(config.http(), startedRuns, Optional.of(startedAudits), metrics, () -> {
                TargetGuard.View view = target.view();
                return new StatusInfo(schedule.nextFireTime(), config.schedule().cron(),
                        view.pinned().map(PinnedTarget::describe), view.mismatch(),
                        auditsForPage.latest().map(Daemon::describe).orElse(""));
            }, Optional.of(targetAccess), clock);
            this.metricsServer = MetricsServer.startIfEnabled(config.metrics(), metrics);
        } catch (RuntimeException e) {
            closeAll(startedAdmin, startedAuditScheduler, startedScheduler, startedAudits, startedRuns, started);
            metrics.close();
            throw e;
        }
        this.engine = started;
        this.scheduler = startedScheduler;
        this.runs = startedRuns;
        this.audits = startedAudits;
        this.auditScheduler = startedAuditScheduler;
        this.admin = startedAdmin;
    }

    public static Daemon start(OffloadConfig config, Clock clock) {
        Daemon daemon = new Daemon(config, clock);
        log.info("synapse-media-offload daemon started: admin API on http://{}:{}/, schedule '{}' ({}), next run {},"
                + " audits '{}', next audit {}", config.http().bind(), daemon.admin.port(), config.schedule().cron(),
                config.schedule().timeZone(), daemon.scheduler.nextFireTime().map(Object::toString).orElse("not scheduled"),
                config.audit().cron(), daemon.auditScheduler.nextFireTime().map(Object::toString).orElse("never"));
        daemon.metricsServer.ifPresent(m -> log.info("Prometheus metrics also on http://{}:{}/metrics",
                config.metrics().bind(), m.port()));
        return daemon;
    }

    public int adminPort() {
        return admin.port();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Shutting down: no new runs; the current run gets {} to finish in-flight transfers",
                config.shutdownGrace());
        admin.close();
        auditScheduler.close();
        audits.close();
        engine.coordinator().shutdown(config.shutdownGrace());
        scheduler.close();
        runs.close();
        metricsServer.ifPresent(MetricsServer::close);
        engine.close();
        metrics.close();
        log.info("Stopped");
    }

    /** The status page's line on the last audit. */
    static String describe(AuditReport r) {
        return r.endedAt().toString() + ": " + r.status().toLowerCase(java.util.Locale.ROOT) + ", "
                + (r.lostMedia() + r.lostRemoteMedia()) + " lost (" + r.newLostMedia() + " new), " + r.orphanObjects()
                + " orphan objects, " + r.sizeMismatches() + " size mismatches, " + r.objectsAudited()
                + " objects audited";
    }

    private static void closeAll(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                log.warn("Error while closing {} after a failed start", c.getClass().getSimpleName(), e);
            }
        }
    }
}

package org.mediaoffload;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
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
 * The long-running service: the engine, its metrics, the schedule and the HTTP listeners (each listener only when
 * configured), wired in one place.
 * Shutdown stops the triggers first, gives the current run {@code offload.shutdown-grace} to finish its in-flight
 * transfers (nothing unverified is ever deleted), then closes the engine.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final OffloadConfig config;
    private final CloseableStack closeables = new CloseableStack("the daemon");
    private final OffloadScheduler scheduler;
    private final AuditScheduler auditScheduler;
    private final Optional<AdminServer> admin;
    private final Optional<MetricsServer> metricsServer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Daemon(OffloadConfig config, Clock clock) {
        this.config = config;
        try {
            // Pushed in start order; close() undoes them in reverse: the triggers (admin API, then the schedule
            // after the current run's grace period), the metrics listener, the engine, the metrics.
            OffloadMetrics metrics = closeables.push(OffloadMetrics.create(config.mediaStorePath()));
            Engine engine = closeables.push(Engine.open(config, "daemon", metrics, metrics::s3RequestCompleted,
                    clock));
            // A restart must not look like "never succeeded" on the dashboard.
            metrics.restore(engine.journal().lastRun(), engine.journal().lastSuccess());
            metrics.restoreAudit(engine.auditJournal().latest(), engine.auditJournal().latestComplete(),
                    engine.auditJournal().expectedSince());
            TargetGuard target = engine.target();
            metrics.watchTarget(target::mismatched);
            RunCoordinator coordinator = engine.coordinator();
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
            this.metricsServer = MetricsServer.startIfEnabled(config.metrics(), metrics);
            metricsServer.ifPresent(closeables::push);
            // One work slot: a scheduled run due during an audit waits for it, and the reverse.
            WorkGate gate = new WorkGate();
            ExclusiveRuns runs = closeables.push(new ExclusiveRuns(coordinator, gate));
            Optional<Instant> lastStart = engine.journal().lastRun().map(RunSummary::startedAt);
            this.scheduler = closeables.push(new OffloadScheduler(config.schedule(), runs, lastStart));
            // Closing the scheduler interrupts its job, which cancels a run at once; the grace period comes first.
            closeables.push(() -> coordinator.shutdown(config.shutdownGrace()));
            AuditCoordinator audits = closeables.push(new AuditCoordinator(engine.audit(), engine.auditJournal(),
                    gate, metrics, clock, config.audit().deleteOrphans()));
            this.auditScheduler = closeables.push(new AuditScheduler(config.audit(), config.schedule().timeZone(),
                    audits));
            // Only when configured (offload.http.port = -1 turns the admin API and status page off).
            this.admin = config.http().port() < 0 ? Optional.empty()
                    : Optional.of(closeables.push(new AdminServer(config.http(), runs, Optional.of(audits), metrics,
                            () -> {
                                TargetGuard.View view = target.view();
                                return new StatusInfo(scheduler.nextFireTime(), config.schedule().cron(),
                                        view.pinned().map(PinnedTarget::describe), view.mismatch(),
                                        audits.latest().map(Daemon::describe).orElse(""));
                            }, Optional.of(targetAccess), clock)));
        } catch (RuntimeException e) {
            closeables.closeAfter(e);
            throw e;
        }
    }

    public static Daemon start(OffloadConfig config, Clock clock) {
        Daemon daemon = new Daemon(config, clock);
        String next = daemon.scheduler.nextFireTime().map(Object::toString).orElse("not scheduled");
        String audits = "audits '" + config.audit().cron() + "', next audit "
                + daemon.auditScheduler.nextFireTime().map(Object::toString).orElse("never");
        daemon.admin.ifPresentOrElse(
                a -> log.info("synapse-media-offload daemon started: admin API on http://{}:{}/, schedule '{}' ({}),"
                        + " next run {}, {}", config.http().bind(), a.port(), config.schedule().cron(),
                        config.schedule().timeZone(), next, audits),
                () -> log.info("synapse-media-offload daemon started: admin API off (offload.http.port = -1),"
                        + " schedule '{}' ({}), next run {}, {}", config.schedule().cron(),
                        config.schedule().timeZone(), next, audits));
        daemon.metricsServer.ifPresent(m -> log.info("Prometheus metrics also on http://{}:{}/metrics",
                config.metrics().bind(), m.port()));
        return daemon;
    }

    /** The admin API's bound port; empty when {@code offload.http.port = -1}. */
    public OptionalInt adminPort() {
        return admin.map(a -> OptionalInt.of(a.port())).orElse(OptionalInt.empty());
    }

    /** The separate metrics listener's bound port; empty when {@code offload.metrics.port = -1}. */
    public OptionalInt metricsPort() {
        return metricsServer.map(m -> OptionalInt.of(m.port())).orElse(OptionalInt.empty());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Shutting down: no new runs; the current run gets {} to finish in-flight transfers",
                config.shutdownGrace());
        closeables.close();
        log.info("Stopped");
    }

    /** The status page's line on the last audit. */
    static String describe(AuditReport r) {
        return r.endedAt().toString() + ": " + r.status().toLowerCase(java.util.Locale.ROOT) + ", "
                + (r.lostMedia() + r.lostRemoteMedia()) + " lost (" + r.newLostMedia() + " new), " + r.orphanObjects()
                + " orphan objects" + reclaimed(r) + ", " + r.sizeMismatches() + " size mismatches, "
                + r.objectsAudited() + " objects audited";
    }

    private static String reclaimed(AuditReport r) {
        if (r.reconcile() == null) {
            return "";
        }
        return " (" + r.orphansDeleted() + (r.reconcile().dryRun() ? " would be deleted)" : " deleted)");
    }
}

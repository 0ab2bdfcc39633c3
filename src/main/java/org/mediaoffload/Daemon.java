package org.mediaoffload;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.http.AdminServer;
import org.mediaoffload.http.MetricsServer;
import org.mediaoffload.http.StatusInfo;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.schedule.OffloadScheduler;
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
    private final Optional<AdminServer> admin;
    private final Optional<MetricsServer> metricsServer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Daemon(OffloadConfig config, Clock clock) {
        this.config = config;
        this.metrics = OffloadMetrics.create(config.mediaStorePath());
        Engine started = null;
        OffloadScheduler startedScheduler = null;
        AdminServer startedAdmin = null;
        try {
            started = Engine.open(config, "daemon", metrics, metrics::s3RequestCompleted, clock);
            // A restart must not look like "never succeeded" on the dashboard.
            metrics.restore(started.journal().lastRun(), started.journal().lastSuccess());
            Optional<java.time.Instant> lastStart = started.journal().lastRun().map(RunSummary::startedAt);
            startedScheduler = new OffloadScheduler(config.schedule(), started.coordinator(), lastStart);
            OffloadScheduler schedule = startedScheduler;
            // offload.http.port = -1: no admin API and no status page; the schedule still runs.
            if (config.http().port() >= 0) {
                startedAdmin = new AdminServer(config.http(), started.coordinator(), metrics,
                        () -> new StatusInfo(schedule.nextFireTime(), config.schedule().cron()));
            }
            this.metricsServer = MetricsServer.startIfEnabled(config.metrics(), metrics);
        } catch (RuntimeException e) {
            closeAll(startedAdmin, startedScheduler, started);
            metrics.close();
            throw e;
        }
        this.engine = started;
        this.scheduler = startedScheduler;
        this.admin = Optional.ofNullable(startedAdmin);
    }

    public static Daemon start(OffloadConfig config, Clock clock) {
        Daemon daemon = new Daemon(config, clock);
        log.info("synapse-media-offload daemon started: {}, schedule '{}' ({}), next run {}",
                daemon.admin.map(a -> "admin API on http://" + config.http().bind() + ":" + a.port() + "/")
                        .orElse("admin API off (offload.http.port = -1)"),
                config.schedule().cron(), config.schedule().timeZone(),
                daemon.scheduler.nextFireTime().map(Object::toString).orElse("not scheduled"));
        daemon.metricsServer.ifPresent(m -> log.info("Prometheus metrics also on http://{}:{}/metrics",
                config.metrics().bind(), m.port()));
        return daemon;
    }

    /** The admin API's port, or -1 when it is off. */
    public int adminPort() {
        return admin.map(AdminServer::port).orElse(-1);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Shutting down: no new runs; the current run gets {} to finish in-flight transfers",
                config.shutdownGrace());
        admin.ifPresent(AdminServer::close);
        engine.coordinator().shutdown(config.shutdownGrace());
        scheduler.close();
        metricsServer.ifPresent(MetricsServer::close);
        engine.close();
        metrics.close();
        log.info("Stopped");
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

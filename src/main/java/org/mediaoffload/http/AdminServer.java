package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediaoffload.audit.AuditControl;
import java.util.function.Supplier;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.RunControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, {@code /metrics}, health checks and the status page, on the JDK HTTP server. Starts listening
 * on construction. Mutating endpoints need the admin token; read-only ones are open (bind it to loopback).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** Requests served at once; more connections are closed (see {@link Listener}). */
    static final int MAX_CONNECTIONS = 64;

    private final Listener listener;

    public AdminServer(HttpConfig config, RunControl runs, OffloadMetrics metrics, Supplier<StatusInfo> status) {
        this(config, runs, metrics, status, Clock.systemUTC());
    }

    public AdminServer(HttpConfig config, RunControl runs, OffloadMetrics metrics, Supplier<StatusInfo> status,
            Clock clock) {
        this(config, runs, Optional.empty(), metrics, status, Optional.empty(), clock);
    }

    /**
     * @param audits the daemon's audits; empty: the audit endpoints answer 404
     * @param target the pinned target, for {@code /api/v1/target}; empty leaves that endpoint out
     */
    public AdminServer(HttpConfig config, RunControl runs, Optional<AuditControl> audits, OffloadMetrics metrics,
            Supplier<StatusInfo> status, Optional<TargetAccess> target, Clock clock) {
        requireNonNull(config, "config is null");
        requireNonNull(audits, "audits is null");
        requireNonNull(runs, "runs is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(status, "status is null");
        requireNonNull(clock, "clock is null");
        if (config.port() < 0) {
            throw new IllegalArgumentException("offload.http.port = " + config.port()
                    + ": the admin API is disabled, do not start it");
        }
        if (config.openToOtherHostsWithoutToken()) {
            throw new IllegalArgumentException("offload.http.bind = " + config.bind()
                    + " is reachable from other hosts, so offload.http.admin-token must be set"
                    + " (or bind to 127.0.0.1)");
        }
        requireNonNull(target, "target is null");
        BearerAuth auth = new BearerAuth(config.adminToken());
        List<Router> routes = new ArrayList<>(List.of(
                new Router("/api/v1/runs")
                        .on("POST", auth.guard(new StartRunHandler(runs)))
                        .on("GET", new HistoryHandler(runs)),
                new Router("/api/v1/runs/current").on("GET", new CurrentRunHandler(runs, clock)),
                new Router("/api/v1/runs/current/cancel").on("POST", auth.guard(new CancelRunHandler(runs))),
                new Router("/metrics").on("GET", new MetricsHandler(metrics)),
                new Router("/healthz").on("GET", new HealthHandler()),
                new Router("/readyz").on("GET", new ReadyHandler(runs)),
                new Router("/").on("GET", new StatusPageHandler(status))));
        target.map(TargetHandler::new).ifPresent(handler -> routes.add(0, new Router("/api/v1/target")
                .on("GET", handler.get())
                .on("POST", auth.guard(handler.post()))));
        audits.ifPresent(a -> {
            routes.add(new Router("/api/v1/audits").on("POST", auth.guard(AuditsHandler.start(a)))
                    .on("GET", AuditsHandler.history(a)));
            routes.add(new Router("/api/v1/audits/latest").on("GET", AuditsHandler.latest(a)));
            routes.add(Router.oneLevelBelow("/api/v1/audits/").on("GET", AuditsHandler.byId(a)));
        });
        listener = new Listener("offload-http", config.bind(), config.port(), MAX_CONNECTIONS, routes);
        log.info("Admin API on http://{}:{}/ (admin token {})", config.bind(), port(),
                config.adminToken().isPresent() ? "set" : "not set: starting and cancelling runs is refused");
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
    }
}

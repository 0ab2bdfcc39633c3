package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.mediaoffload.config.MetricsConfig;
import org.mediaoffload.metrics.OffloadMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener serving only {@code GET /metrics}, for a Prometheus (e.g. in a container network) that must not
 * reach the admin API. Starts listening on construction.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final Listener listener;

    public MetricsServer(MetricsConfig config, OffloadMetrics metrics) {
        requireNonNull(config, "config is null");
        requireNonNull(metrics, "metrics is null");
        if (config.port() < 0) {
            throw new IllegalArgumentException("offload.metrics.port = " + config.port()
                    + ": the separate metrics listener is disabled, do not start it");
        }
        listener = new Listener("offload-metrics", config.bind(), config.port(), 16,
                List.of(new Router("/metrics").on("GET", new MetricsHandler(metrics))));
        log.info("Metrics on http://{}:{}/metrics", config.bind(), port());
    }

    /** Started when {@code offload.metrics.port} is 0 or more; empty when it is -1. */
    public static Optional<MetricsServer> startIfEnabled(MetricsConfig config, OffloadMetrics metrics) {
        return config.port() < 0 ? Optional.empty() : Optional.of(new MetricsServer(config, metrics));
    }

    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
    }
}

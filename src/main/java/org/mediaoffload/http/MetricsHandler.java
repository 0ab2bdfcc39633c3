package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import org.mediaoffload.metrics.OffloadMetrics;

/** {@code GET /metrics}: the Prometheus text format 0.0.4. */
final class MetricsHandler implements HttpHandler {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final OffloadMetrics metrics;

    MetricsHandler(OffloadMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Exchanges.text(exchange, 200, CONTENT_TYPE, metrics.scrape());
    }
}

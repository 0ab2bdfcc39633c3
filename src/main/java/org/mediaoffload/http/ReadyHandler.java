package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import org.mediaoffload.pipeline.RunControl;

/** {@code GET /readyz}: the Synapse database and the bucket answer (200), or why not (503). */
final class ReadyHandler implements HttpHandler {
    private final RunControl runs;

    ReadyHandler(RunControl runs) {
        this.runs = requireNonNull(runs, "runs is null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            runs.checkReady();
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            Exchanges.json(exchange, 503, Map.of("status", "not ready", "reason", reason));
            return;
        }
        Exchanges.json(exchange, 200, Map.of("status", "ready"));
    }
}

package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.mediaoffload.pipeline.LiveProgress;
import org.mediaoffload.pipeline.RunControl;

/** {@code POST /api/v1/runs/current/cancel}: asks the run to stop safely (202), 404 when idle. */
final class CancelRunHandler implements HttpHandler {
    private final RunControl runs;

    CancelRunHandler(RunControl runs) {
        this.runs = requireNonNull(runs, "runs is null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Optional<LiveProgress> current = runs.current();
        if (current.isEmpty() || !runs.cancelCurrent()) {
            Exchanges.error(exchange, 404, "no run in progress");
            return;
        }
        Exchanges.json(exchange, 202, Map.of("runId", current.get().runId(), "cancelling", true));
    }
}

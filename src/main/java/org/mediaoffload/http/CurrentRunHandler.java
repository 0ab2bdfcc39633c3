package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.mediaoffload.pipeline.LiveProgress;
import org.mediaoffload.pipeline.RunControl;

/** {@code GET /api/v1/runs/current}: live progress, 404 when idle. */
final class CurrentRunHandler implements HttpHandler {
    private final RunControl runs;
    private final Clock clock;

    CurrentRunHandler(RunControl runs, Clock clock) {
        this.runs = requireNonNull(runs, "runs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Optional<LiveProgress> current = runs.current();
        if (current.isEmpty()) {
            Exchanges.error(exchange, 404, "no run in progress");
            return;
        }
        Exchanges.json(exchange, 200, ProgressView.of(current.get(), clock.instant()));
    }
}

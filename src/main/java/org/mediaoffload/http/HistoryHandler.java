package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;
import org.mediaoffload.pipeline.RunControl;

/** {@code GET /api/v1/runs?limit=N}: finished runs, newest first. */
final class HistoryHandler implements HttpHandler {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;

    private final RunControl runs;

    HistoryHandler(RunControl runs) {
        this.runs = requireNonNull(runs, "runs is null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        OptionalInt limit = limit(exchange.getRequestURI().getRawQuery());
        if (limit.isEmpty()) {
            Exchanges.error(exchange, 400, "limit must be a whole number from 1 to " + MAX_LIMIT);
            return;
        }
        Exchanges.json(exchange, 200, Map.of("runs", runs.history(limit.getAsInt())));
    }

    /** The {@code limit} query parameter, 1..{@value #MAX_LIMIT}; empty when malformed. Shared with the audits. */
    static OptionalInt limit(String query) {
        if (query == null || query.isEmpty()) {
            return OptionalInt.of(DEFAULT_LIMIT);
        }
        int limit = DEFAULT_LIMIT;
        for (String pair : query.split("&")) {
            if (pair.startsWith("limit=")) {
                try {
                    limit = Integer.parseInt(pair.substring("limit=".length()));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
        }
        return limit >= 1 && limit <= MAX_LIMIT ? OptionalInt.of(limit) : OptionalInt.empty();
    }
}

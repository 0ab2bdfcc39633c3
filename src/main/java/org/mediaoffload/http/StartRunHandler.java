package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.mediaoffload.pipeline.RunControl;
import org.mediaoffload.pipeline.RunControl.RunInProgressException;
import org.mediaoffload.pipeline.StateDirChangedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/runs}: starts a run now; optional body {@code {"dryRun": true}}. */
final class StartRunHandler implements HttpHandler {
    static final String TRIGGER = "http";

    private final RunControl runs;

    StartRunHandler(RunControl runs) {
        this.runs = requireNonNull(runs, "runs is null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Optional<String> body = BoundedBody.read(exchange);
        if (body.isEmpty()) {
            Exchanges.error(exchange, 413, "request body larger than " + BoundedBody.MAX_BYTES + " bytes");
            return;
        }
        boolean dryRun;
        try {
            dryRun = parseDryRun(body.get());
        } catch (IllegalArgumentException e) {
            Exchanges.error(exchange, 400, e.getMessage());
            return;
        }
        try {
            long runId = runs.startRun(TRIGGER, dryRun);
            exchange.getResponseHeaders().set("Location", "/api/v1/runs/current");
            Exchanges.json(exchange, 202, Map.of("runId", runId, "dryRun", dryRun));
        } catch (RunInProgressException e) {
            Exchanges.error(exchange, 409, e.getMessage());
        } catch (StateDirChangedException e) {
            Exchanges.error(exchange, 503, e.getMessage());
        }
    }

    private static boolean parseDryRun(String body) {
        if (body.isBlank()) {
            return false;
        }
        JsonNode json;
        try {
            json = Exchanges.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object like {\"dryRun\": true}");
        }
        Iterator<String> names = json.propertyNames().iterator();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("dryRun")) {
                throw new IllegalArgumentException("unknown field '" + name + "'; the only field is 'dryRun'");
            }
        }
        JsonNode dryRun = json.get("dryRun");
        if (dryRun == null) {
            return false;
        }
        if (!dryRun.isBoolean()) {
            throw new IllegalArgumentException("'dryRun' must be true or false");
        }
        return dryRun.booleanValue();
    }
}

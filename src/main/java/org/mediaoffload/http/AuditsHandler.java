package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.mediaoffload.audit.AuditControl;
import org.mediaoffload.audit.AuditControl.AuditBusyException;

/**
 * {@code POST /api/v1/audits} (token): starts a report-only audit now (409 while a run or an audit holds the
 * daemon); {@code GET /api/v1/audits?limit=N}: finished audits, newest first.
 */
final class AuditsHandler {
    static final String TRIGGER = "http";

    private AuditsHandler() {}

    static HttpHandler start(AuditControl audits) {
        requireNonNull(audits, "audits is null");
        return exchange -> {
            Optional<String> body = BoundedBody.read(exchange);
            if (body.isEmpty()) {
                Exchanges.error(exchange, 413, "request body larger than " + BoundedBody.MAX_BYTES + " bytes");
                return;
            }
            if (!body.get().isBlank() && !body.get().strip().equals("{}")) {
                Exchanges.error(exchange, 400, "an audit takes no options here; send no body or {} (use the CLI for"
                        + " --verify-content, --acknowledge-lost and --export)");
                return;
            }
            try {
                long id = audits.startAudit(TRIGGER);
                exchange.getResponseHeaders().set("Location", "/api/v1/audits/latest");
                Exchanges.json(exchange, 202, Map.of("auditId", id));
            } catch (AuditBusyException e) {
                Exchanges.error(exchange, 409, e.getMessage());
            }
        };
    }

    static HttpHandler history(AuditControl audits) {
        requireNonNull(audits, "audits is null");
        return exchange -> {
            OptionalInt limit = HistoryHandler.limit(exchange.getRequestURI().getRawQuery());
            if (limit.isEmpty()) {
                Exchanges.error(exchange, 400, "limit must be a whole number from 1 to " + HistoryHandler.MAX_LIMIT);
                return;
            }
            Exchanges.json(exchange, 200, Map.of("audits", audits.recent(limit.getAsInt()),
                    "inProgress", audits.current().isPresent()));
        };
    }

    /** {@code GET /api/v1/audits/latest}: the newest finished audit's report; 404 before the first. */
    static HttpHandler latest(AuditControl audits) {
        requireNonNull(audits, "audits is null");
        return (HttpExchange exchange) -> {
            var latest = audits.latest();
            if (latest.isEmpty()) {
                Exchanges.error(exchange, 404, "no audit has finished yet");
                return;
            }
            Exchanges.json(exchange, 200, latest.get());
        };
    }
}

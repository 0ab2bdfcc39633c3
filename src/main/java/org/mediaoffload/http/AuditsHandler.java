package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.mediaoffload.audit.AuditControl;
import org.mediaoffload.audit.AuditJournal;
import org.mediaoffload.audit.AuditControl.AuditBusyException;

/**
 * {@code POST /api/v1/audits} (token): starts an audit now (it deletes orphans only with
 * offload.audit.delete-orphans) (409 while a run or an audit holds the
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

    static final int DEFAULT_DELETIONS = 1000;
    static final int MAX_DELETIONS = 10_000;

    /**
     * {@code GET /api/v1/audits/{id}[?limit=N&after=KEY]}: a finished audit's report and the objects its
     * reconcile deleted (or, in a dry run, would delete), from the deletion journal, in key order: up to
     * {@code limit} (default 1000, at most 10,000) after {@code after}; {@code next} is the {@code after} of the
     * next page, null on the last.
     */
    static HttpHandler byId(AuditControl audits) {
        requireNonNull(audits, "audits is null");
        return exchange -> {
            String path = exchange.getRequestURI().getPath();
            long id;
            try {
                id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
            } catch (NumberFormatException e) {
                Exchanges.error(exchange, 404, "no such audit: an audit id is a whole number, or \"latest\"");
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            int limit;
            try {
                limit = Integer.parseInt(query.getOrDefault("limit", String.valueOf(DEFAULT_DELETIONS)));
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > MAX_DELETIONS) {
                Exchanges.error(exchange, 400, "limit must be a whole number from 1 to " + MAX_DELETIONS);
                return;
            }
            var report = audits.report(id);
            if (report.isEmpty()) {
                Exchanges.error(exchange, 404, "no finished audit " + id);
                return;
            }
            List<AuditJournal.Deletion> page = audits.deletions(id, query.getOrDefault("after", ""), limit);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("audit", report.get());
            body.put("deletions", page);
            body.put("next", page.size() < limit ? null : page.get(page.size() - 1).key());
            Exchanges.json(exchange, 200, body);
        };
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
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

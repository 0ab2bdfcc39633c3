package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /}: the status page, a classpath HTML file whose script polls the JSON API. The few server-side
 * values (next scheduled run) are filled in here, HTML-escaped.
 */
final class StatusPageHandler implements HttpHandler {
    private static final String RESOURCE = "status.html";
    /** Inline script and style only, no third-party origin: the page needs nothing else. */
    private static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
            + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'";

    private final String template;
    private final Supplier<StatusInfo> status;

    StatusPageHandler(Supplier<StatusInfo> status) {
        this.status = requireNonNull(status, "status is null");
        try (InputStream in = StatusPageHandler.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the status page " + RESOURCE + " is missing from the jar");
            }
            this.template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page " + RESOURCE, e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        StatusInfo info = status.get();
        String page = template
                .replace("{{nextScheduledRun}}", escape(info.nextScheduledRun().map(Object::toString).orElse("")))
                .replace("{{schedule}}", escape(info.schedule()))
                .replace("{{pinnedTarget}}", escape(info.pinnedTarget().orElse("none pinned yet (pinned at the first"
                        + " verified upload)")))
                .replace("{{targetRefusalHidden}}", info.targetRefusal().isPresent() ? "" : "hidden")
                .replace("{{targetRefusal}}", escape(info.targetRefusal().orElse("")))
                .replace("{{lastAudit}}", escape(info.lastAudit().isEmpty() ? "none yet" : info.lastAudit()));
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        Exchanges.text(exchange, 200, "text/html; charset=utf-8", page);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

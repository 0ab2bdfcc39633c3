package org.mediaoffload.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** {@code GET /healthz}: the process is alive and serving. Deliberately checks nothing else. */
final class HealthHandler implements HttpHandler {
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Exchanges.text(exchange, 200, "text/plain; charset=utf-8", "ok\n");
    }
}

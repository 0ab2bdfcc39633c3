package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One path, its handlers by method. The JDK server matches contexts by prefix, so the exact path is checked
 * here; the exchange is always closed, and an unexpected failure becomes a 500 without details.
 */
final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final String path;
    private final boolean oneLevelBelow;
    private final Map<String, HttpHandler> byMethod = new LinkedHashMap<>();

    Router(String path) {
        this(path, false);
    }

    private Router(String path, boolean oneLevelBelow) {
        this.path = requireNonNull(path, "path is null");
        this.oneLevelBelow = oneLevelBelow;
    }

    /** {@code path} ends with "/": serves {@code path + name} for one non-empty path component (an id). */
    static Router oneLevelBelow(String path) {
        if (!path.endsWith("/")) {
            throw new IllegalArgumentException("a path for ids ends with /: " + path);
        }
        return new Router(path, true);
    }

    private boolean matches(String requested) {
        if (!oneLevelBelow) {
            return requested.equals(path);
        }
        return requested.startsWith(path) && requested.length() > path.length()
                && requested.indexOf('/', path.length()) < 0;
    }

    Router on(String method, HttpHandler handler) {
        byMethod.put(method, requireNonNull(handler, "handler is null"));
        return this;
    }

    String path() {
        return path;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!matches(exchange.getRequestURI().getPath())) {
                Exchanges.error(exchange, 404, "no such endpoint: " + exchange.getRequestURI().getPath());
                return;
            }
            HttpHandler handler = byMethod.get(exchange.getRequestMethod());
            if (handler == null) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", byMethod.keySet()));
                Exchanges.error(exchange, 405, exchange.getRequestMethod() + " is not allowed on " + path);
                return;
            }
            handler.handle(exchange);
        } catch (RuntimeException e) {
            log.error("{} {} failed", exchange.getRequestMethod(), path, e);
            try {
                Exchanges.error(exchange, 500, "internal error; see the daemon's log");
            } catch (IOException | RuntimeException ignored) {
                // Headers were already sent; closing the exchange below is all we can do.
            }
        } finally {
            exchange.close();
        }
    }
}

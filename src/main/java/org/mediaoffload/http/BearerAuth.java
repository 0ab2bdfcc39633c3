package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import org.mediaoffload.config.Secret;

/**
 * Guards mutating endpoints with {@code Authorization: Bearer <admin-token>}. Without a configured token they
 * are refused outright: an admin API anyone on the host can drive is worse than none.
 */
final class BearerAuth {
    private static final String SCHEME = "bearer ";

    /** Digest of the token: comparing equal-length digests keeps the compare constant-time, length included. */
    private final Optional<byte[]> expected;

    BearerAuth(Optional<Secret> adminToken) {
        requireNonNull(adminToken, "adminToken is null");
        this.expected = adminToken.map(t -> sha256(t.value()));
    }

    HttpHandler guard(HttpHandler handler) {
        requireNonNull(handler, "handler is null");
        return exchange -> {
            if (allowed(exchange)) {
                handler.handle(exchange);
            }
        };
    }

    private boolean allowed(HttpExchange exchange) throws IOException {
        if (expected.isEmpty()) {
            Exchanges.error(exchange, 403, "the admin API is disabled: set offload.http.admin-token to enable it");
            return false;
        }
        String header = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
        boolean bearer = header.length() > SCHEME.length()
                && header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME);
        if (bearer && MessageDigest.isEqual(expected.get(), sha256(header.substring(SCHEME.length()).trim()))) {
            return true;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"synapse-media-offload\"");
        Exchanges.error(exchange, 401, bearer ? "wrong admin token"
                : "missing 'Authorization: Bearer <admin-token>' header");
        return false;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

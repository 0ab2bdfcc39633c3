package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mediaoffload.pipeline.RunControl.RunInProgressException;
import org.mediaoffload.pin.PinnedTarget;
import org.mediaoffload.pin.Target;
import org.mediaoffload.pin.TargetAcceptance;
import org.mediaoffload.pin.TargetException;
import org.mediaoffload.pin.TargetGuard;

/**
 * {@code GET /api/v1/target}: the configured and the pinned target (the SSE-C key as its MD5 only) and why the last
 * run was refused, if it was. {@code POST} (admin token): accepts the configured target, as {@code accept-target}
 * does; 409 while a run is going.
 */
final class TargetHandler {
    private final TargetAccess target;

    TargetHandler(TargetAccess target) {
        this.target = requireNonNull(target, "target is null");
    }

    HttpHandler get() {
        return exchange -> Exchanges.json(exchange, 200, view(target.view()));
    }

    HttpHandler post() {
        return this::accept;
    }

    private void accept(HttpExchange exchange) throws IOException {
        TargetAcceptance.Outcome outcome;
        try {
            outcome = target.accept();
        } catch (RunInProgressException e) {
            Exchanges.error(exchange, 409, e.getMessage() + "; accept the target once it has finished");
            return;
        } catch (TargetException e) {
            Exchanges.error(exchange, 409, e.getMessage());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pinned", pinned(outcome.now()));
        body.put("previous", outcome.previous().map(TargetHandler::pinned).orElse(null));
        body.put("message", outcome.message());
        body.put("runStarted", false);
        Exchanges.json(exchange, 200, body);
    }

    static Map<String, Object> view(TargetGuard.View view) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("configured", target(view.configured()));
        body.put("pinned", view.pinned().map(TargetHandler::pinned).orElse(null));
        body.put("mismatch", view.mismatch().isPresent());
        body.put("refusal", view.mismatch().orElse(null));
        return body;
    }

    private static Map<String, Object> pinned(PinnedTarget pin) {
        Map<String, Object> body = target(pin.target());
        body.put("pinnedBy", pin.pinnedBy());
        body.put("pinnedAt", pin.pinnedAt().toString());
        body.put("providerConfirmed", pin.providerConfirmed());
        return body;
    }

    private static Map<String, Object> target(Target t) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", t.endpoint());
        body.put("bucket", t.bucket());
        body.put("prefix", t.prefix());
        body.put("sseCustomerKey", t.keyFingerprint());
        return body;
    }
}

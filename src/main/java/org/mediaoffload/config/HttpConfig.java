package org.mediaoffload.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Admin API listener. {@code port} 0 picks a free port; -1 disables the listener. The loader refuses a listener
 * reachable from other hosts without an admin token, and so does the admin server.
 */
public record HttpConfig(String bind, int port, Optional<Secret> adminToken) {
    /** The one rule: an API that is on and binds beyond loopback (localhost, ::1, 127.x.x.x) needs a token. */
    public boolean openToOtherHostsWithoutToken() {
        String lower = bind.toLowerCase(Locale.ROOT);
        boolean loopback = lower.equals("localhost") || lower.equals("::1") || lower.equals("0:0:0:0:0:0:0:1")
                || lower.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        return port != -1 && adminToken.isEmpty() && !loopback;
    }
}

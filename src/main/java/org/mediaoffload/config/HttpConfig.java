package org.mediaoffload.config;

import java.util.Optional;

/**
 * Admin API listener. {@code port} 0 picks a free port; -1 disables the listener.
 */
public record HttpConfig(String bind, int port, Optional<Secret> adminToken) {}

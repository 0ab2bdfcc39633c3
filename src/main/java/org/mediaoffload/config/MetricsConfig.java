package org.mediaoffload.config;

/** Separate /metrics listener for a containerised Prometheus; {@code port} -1 = serve only on the admin API. */
public record MetricsConfig(String bind, int port) {}

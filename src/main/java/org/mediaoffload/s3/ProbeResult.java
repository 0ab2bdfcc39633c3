package org.mediaoffload.s3;

/**
 * One {@code check-config} bucket probe.
 *
 * @param name    what was probed, e.g. "bucket reachable"
 * @param ok      false when offloading would not work (or not safely) as configured
 * @param message what was found and, when not ok (or a warning), what to change
 */
public record ProbeResult(String name, boolean ok, String message) {}

package org.mediaoffload.pipeline;

import java.time.Duration;

/** A duration as an operator reads it in a log line: {@code 11s}, {@code 2m 05s}, {@code 1h 02m}, {@code 3d 4h}. */
public final class HumanDuration {
    private HumanDuration() {}

    public static String format(Duration duration) {
        long s = Math.max(0, duration.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%dh %02dm", s / 3_600, s % 3_600 / 60);
        }
        return String.format("%dd %dh", s / 86_400, s % 86_400 / 3_600);
    }
}

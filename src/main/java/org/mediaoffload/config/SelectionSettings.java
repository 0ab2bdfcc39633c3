package org.mediaoffload.config;

import java.time.Duration;

/** Builds {@link SelectionConfig} from {@code offload.selection}. */
final class SelectionSettings {
    private static final String P = "offload.selection.";

    private SelectionSettings() {}

    static SelectionConfig read(SettingsReader reader) {
        Duration minAge = UpstreamDuration.read(reader, P + "min-age", Duration.ZERO);
        Duration quietPeriod = reader.duration(P + "quiet-period", Duration.ofMinutes(10));
        if (quietPeriod.isNegative()) {
            reader.error(P + "quiet-period", "must not be negative");
        }
        return new SelectionConfig(minAge, reader.bool(P + "include-remote", true),
                reader.bool(P + "include-quarantined", true), quietPeriod);
    }
}

package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one audit is asked to do.
 *
 * @param verifyContent originals to read back: 0 none, {@link #ALL} every one, else a random sample of that size
 * @param acknowledgeLost record the lost media found as the known baseline (ignored with {@code dryRun})
 * @param exportDir     where to write lost.jsonl and orphans.jsonl
 * @param dryRun        change nothing: no baseline recorded (the audit itself only reads)
 */
public record AuditRequest(String trigger, int verifyContent, boolean acknowledgeLost, Optional<Path> exportDir,
        boolean dryRun) {
    public static final int ALL = Integer.MAX_VALUE;

    public AuditRequest {
        requireNonNull(trigger, "trigger is null");
        requireNonNull(exportDir, "exportDir is null");
        if (verifyContent < 0) {
            throw new IllegalArgumentException("verifyContent must not be negative: " + verifyContent);
        }
    }

    public static AuditRequest reportOnly(String trigger) {
        return new AuditRequest(trigger, 0, false, Optional.empty(), false);
    }
}

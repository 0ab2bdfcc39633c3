package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one audit is asked to do.
 *
 * @param verifyContent originals to read back: 0 none, {@link #ALL} every one, else a random sample of that size
 * @param acknowledgeLost record the lost media found as the known baseline (ignored with {@code dryRun})
 * @param exportDir     where to write lost.jsonl and orphans.jsonl
 * @param dryRun        change nothing: no baseline recorded, no orphan deleted (what would be deleted is reported)
 * @param deleteOrphans delete the orphans that pass every guard ({@link OrphanReconcile})
 * @param maxOrphanFraction overrides offload.audit.max-orphan-fraction for this audit
 */
public record AuditRequest(String trigger, int verifyContent, boolean acknowledgeLost, Optional<Path> exportDir,
        boolean dryRun, boolean deleteOrphans, OptionalDouble maxOrphanFraction) {
    public static final int ALL = Integer.MAX_VALUE;

    public AuditRequest {
        requireNonNull(trigger, "trigger is null");
        requireNonNull(exportDir, "exportDir is null");
        requireNonNull(maxOrphanFraction, "maxOrphanFraction is null");
        if (verifyContent < 0) {
            throw new IllegalArgumentException("verifyContent must not be negative: " + verifyContent);
        }
        if (maxOrphanFraction.isPresent() && !(maxOrphanFraction.getAsDouble() >= 0
                && maxOrphanFraction.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("maxOrphanFraction must be from 0 to 1: " + maxOrphanFraction);
        }
    }

    /** An audit that deletes nothing. */
    public AuditRequest(String trigger, int verifyContent, boolean acknowledgeLost, Optional<Path> exportDir,
            boolean dryRun) {
        this(trigger, verifyContent, acknowledgeLost, exportDir, dryRun, false, OptionalDouble.empty());
    }

    public static AuditRequest reportOnly(String trigger) {
        return new AuditRequest(trigger, 0, false, Optional.empty(), false);
    }

    /** The daemon's audits: report, and delete qualifying orphans when offload.audit.delete-orphans is on. */
    public static AuditRequest scheduled(String trigger, boolean deleteOrphans) {
        return new AuditRequest(trigger, 0, false, Optional.empty(), false, deleteOrphans, OptionalDouble.empty());
    }
}

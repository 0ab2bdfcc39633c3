package org.mediaoffload.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mediaoffload.audit.AuditClass;
import org.mediaoffload.audit.AuditReport;

/**
 * The last audit's figures as gauges ({@code synapse_media_offload_audit_*}): objects and bytes per class, new
 * and acknowledged lost media, start/end/success times and duration, and since when audits are due. Class gauges
 * follow the last audit that completed; an INCOMPLETE audit's partial counts would make "orphan bytes growing" flap.
 */
final class AuditGauges {
    private static final double UNKNOWN = Double.NaN;

    private volatile Optional<Instant> lastStart = Optional.empty();
    private volatile Optional<Instant> lastEnd = Optional.empty();
    private volatile Optional<Instant> lastSuccess = Optional.empty();
    private volatile Optional<Instant> expectedSince = Optional.empty();
    private volatile double lastDuration = UNKNOWN;
    private volatile boolean inProgress;
    private volatile double newLost = UNKNOWN;
    private volatile double acknowledgedLost = UNKNOWN;
    private volatile double lastComplete = UNKNOWN;
    private volatile double orphansDeleted = UNKNOWN;
    private volatile double bytesReclaimed = UNKNOWN;
    private final Map<AuditClass, double[]> classes = new ConcurrentHashMap<>();

    void register(MeterRegistry registry) {
        for (AuditClass c : AuditClass.values()) {
            classes.put(c, new double[] {UNKNOWN, UNKNOWN});
            Gauge.builder(MetricNames.AUDIT_OBJECTS, this, g -> g.classes.get(c)[0])
                    .description("Files (objects, rows or local files) per class in the last complete audit")
                    .tag(MetricNames.TAG_CLASS, c.jsonName()).register(registry);
            Gauge.builder(MetricNames.AUDIT_BYTES, this, g -> g.classes.get(c)[1]).baseUnit(MetricNames.BYTES)
                    .description("Bytes per class in the last complete audit")
                    .tag(MetricNames.TAG_CLASS, c.jsonName()).register(registry);
        }
        gauge(registry, MetricNames.AUDIT_NEW_LOST, null, "Lost media not in the acknowledged baseline",
                g -> g.newLost);
        gauge(registry, MetricNames.AUDIT_ACKNOWLEDGED_LOST, null, "Lost media in the acknowledged baseline",
                g -> g.acknowledgedLost);
        gauge(registry, MetricNames.AUDIT_LAST_START, MetricNames.SECONDS, "When the last audit started (Unix time)",
                g -> seconds(g.lastStart));
        gauge(registry, MetricNames.AUDIT_LAST_END, MetricNames.SECONDS, "When the last audit ended (Unix time)",
                g -> seconds(g.lastEnd));
        gauge(registry, MetricNames.AUDIT_LAST_SUCCESS, MetricNames.SECONDS,
                "When the last audit that completed ended (Unix time); 0 = never",
                g -> g.lastSuccess.map(i -> i.toEpochMilli() / 1000.0).orElse(0.0));
        // With the last success at 0 (never), the alert's clock: a fresh install is not "8 days without audit".
        gauge(registry, MetricNames.AUDIT_EXPECTED_SINCE, MetricNames.SECONDS,
                "Since when audits are due on this install (Unix time; kept in audits.db across restarts)",
                g -> seconds(g.expectedSince));
        gauge(registry, MetricNames.AUDIT_DURATION, MetricNames.SECONDS, "How long the last audit took",
                g -> g.lastDuration);
        gauge(registry, MetricNames.AUDIT_IN_PROGRESS, null, "1 while an audit is going", g -> g.inProgress ? 1 : 0);
        gauge(registry, MetricNames.AUDIT_LAST_COMPLETE, null, "1 if the last audit completed, 0 if it stopped early",
                g -> g.lastComplete);
        gauge(registry, MetricNames.AUDIT_ORPHANS_DELETED, null,
                "Orphan objects the last complete audit deleted from the bucket (0 without --delete-orphans)",
                g -> g.orphansDeleted);
        gauge(registry, MetricNames.AUDIT_BYTES_RECLAIMED, MetricNames.BYTES,
                "Bytes of the orphan objects the last complete audit deleted", g -> g.bytesReclaimed);
    }

    private void gauge(MeterRegistry registry, String name, String unit, String help,
            java.util.function.ToDoubleFunction<AuditGauges> f) {
        Gauge.Builder<AuditGauges> b = Gauge.builder(name, this, f).description(help);
        if (unit != null) {
            b.baseUnit(unit);
        }
        b.register(registry);
    }

    void expectedSince(Instant since) {
        expectedSince = Optional.of(requireNonNull(since, "since is null"));
    }

    void started(Instant at) {
        lastStart = Optional.of(at);
        inProgress = true;
    }

    void finished(AuditReport report) {
        requireNonNull(report, "report is null");
        inProgress = false;
        lastStart = Optional.of(report.startedAt());
        lastEnd = Optional.of(report.endedAt());
        lastDuration = report.durationSeconds();
        boolean complete = report.complete(); // neither INCOMPLETE nor REFUSED
        lastComplete = complete ? 1 : 0;
        if (!complete) {
            return;
        }
        lastSuccess = Optional.of(report.endedAt());
        newLost = report.newLostMedia();
        acknowledgedLost = report.acknowledgedLostMedia();
        // A dry run's figures are what it would delete: nothing was reclaimed.
        boolean deleted = report.reconcile() != null && !report.reconcile().dryRun();
        orphansDeleted = deleted ? report.orphansDeleted() : 0;
        bytesReclaimed = deleted ? report.bytesReclaimed() : 0;
        for (AuditClass c : AuditClass.values()) {
            AuditReport.Count count = report.classes().get(c.jsonName());
            if (count != null) {
                classes.put(c, new double[] {count.files(), count.bytes()});
            }
        }
    }

    private static double seconds(Optional<Instant> instant) {
        return instant.map(i -> i.toEpochMilli() / 1000.0).orElse(UNKNOWN);
    }
}

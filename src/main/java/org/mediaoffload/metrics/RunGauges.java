package org.mediaoffload.metrics;

import static java.util.Objects.requireNonNull;
import static org.mediaoffload.metrics.MetricNames.BYTES;
import static org.mediaoffload.metrics.MetricNames.SECONDS;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;

/**
 * The state behind the run gauges: the last run, the last success, the run in progress and its live progress,
 * and the backlog. Writers are pipeline threads, readers the scrape thread, so every field is atomic or volatile.
 */
final class RunGauges {
    private static final double UNKNOWN = Double.NaN;

    private volatile Optional<Instant> lastRunStart = Optional.empty();
    private volatile Optional<Instant> lastRunEnd = Optional.empty();
    private volatile Optional<RunStatus> lastOutcome = Optional.empty();
    private volatile Optional<Instant> lastSuccess = Optional.empty();
    private volatile boolean inProgress;
    private volatile boolean inProgressIsDry;
    private volatile long backlogFiles = -1;
    private volatile long backlogBytes = -1;
    private final AtomicLong filesPlanned = new AtomicLong(-1);
    private final AtomicLong bytesPlanned = new AtomicLong(-1);
    private final AtomicLong filesDone = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();

    void register(MeterRegistry registry) {
        gauge(registry, MetricNames.LAST_RUN_START, SECONDS, "When the last run started (Unix time)",
                g -> epochSeconds(g.lastRunStart));
        gauge(registry, MetricNames.LAST_RUN_END, SECONDS, "When the last run ended (Unix time)",
                g -> epochSeconds(g.lastRunEnd));
        gauge(registry, MetricNames.LAST_SUCCESS, SECONDS,
                "When the last successful (not dry) run ended (Unix time); 0 = never", g -> g.lastSuccess
                        .map(i -> i.toEpochMilli() / 1000.0).orElse(0.0));
        for (RunStatus status : RunStatus.values()) {
            if (status == RunStatus.RUNNING) {
                continue;
            }
            Gauge.builder(MetricNames.LAST_RUN_OUTCOME, this, g -> g.lastOutcome.equals(Optional.of(status)) ? 1 : 0)
                    .description("1 for the outcome of the last finished run, 0 for the others")
                    .tag(MetricNames.TAG_OUTCOME, status.name().toLowerCase(Locale.ROOT))
                    .strongReference(true)
                    .register(registry);
        }
        for (boolean dry : new boolean[] {false, true}) {
            Gauge.builder(MetricNames.RUN_IN_PROGRESS, this, g -> g.inProgress && g.inProgressIsDry == dry ? 1 : 0)
                    .description("1 while a run is going; dry_run=\"true\" for a dry run")
                    .tag(MetricNames.TAG_DRY_RUN, Boolean.toString(dry))
                    .strongReference(true)
                    .register(registry);
        }
        gauge(registry, MetricNames.CURRENT_FILES_DONE, null, "Files handled so far by the current run",
                g -> g.inProgress ? g.filesDone.get() : 0);
        gauge(registry, MetricNames.CURRENT_BYTES_DONE, BYTES, "Bytes handled so far by the current run",
                g -> g.inProgress ? g.bytesDone.get() : 0);
        gauge(registry, MetricNames.CURRENT_FILES_TOTAL, null,
                "Files the current run plans to handle (NaN while the scan is still counting)",
                g -> g.inProgress ? known(g.filesPlanned.get()) : 0);
        gauge(registry, MetricNames.CURRENT_BYTES_TOTAL, BYTES,
                "Bytes the current run plans to handle (NaN while the scan is still counting)",
                g -> g.inProgress ? known(g.bytesPlanned.get()) : 0);
        gauge(registry, MetricNames.BACKLOG_FILES, null, "Eligible files still local after the last run",
                g -> known(g.backlogFiles));
        gauge(registry, MetricNames.BACKLOG_BYTES, BYTES, "Eligible bytes still local after the last run",
                g -> known(g.backlogBytes));
    }

    void runStarted(Instant at, boolean dryRun) {
        inProgressIsDry = dryRun;
        filesPlanned.set(-1);
        bytesPlanned.set(-1);
        filesDone.set(0);
        bytesDone.set(0);
        lastRunStart = Optional.of(at);
        inProgress = true;
    }

    void workPlanned(long files, long bytes) {
        filesPlanned.set(files);
        bytesPlanned.set(bytes);
    }

    void fileDone(long bytes) {
        filesDone.incrementAndGet();
        bytesDone.addAndGet(Math.max(0, bytes));
    }

    void runFinished(RunSummary summary) {
        requireNonNull(summary, "summary is null");
        inProgress = false;
        remember(summary);
    }

    void restore(Optional<RunSummary> lastRun, Optional<RunSummary> success) {
        lastRun.ifPresent(this::remember);
        success.filter(s -> s.status() == RunStatus.SUCCEEDED).ifPresent(s -> lastSuccess = Optional.of(s.endedAt()));
    }

    private void remember(RunSummary summary) {
        lastRunStart = Optional.of(summary.startedAt());
        lastRunEnd = Optional.of(summary.endedAt());
        lastOutcome = Optional.of(summary.status());
        backlogFiles = summary.backlogFiles();
        backlogBytes = summary.backlogBytes();
        // A dry run moves nothing, so it must not silence the "no successful run" alert.
        if (summary.status() == RunStatus.SUCCEEDED && !summary.dryRun()) {
            lastSuccess = Optional.of(summary.endedAt());
        }
    }

    private void gauge(MeterRegistry registry, String name, String unit, String help, ToDoubleFunction<RunGauges> f) {
        Gauge.Builder<RunGauges> builder = Gauge.builder(name, this, f).description(help).strongReference(true);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.register(registry);
    }

    private static double epochSeconds(Optional<Instant> instant) {
        return instant.map(i -> i.toEpochMilli() / 1000.0).orElse(UNKNOWN);
    }

    private static double known(long value) {
        return value < 0 ? UNKNOWN : value;
    }
}

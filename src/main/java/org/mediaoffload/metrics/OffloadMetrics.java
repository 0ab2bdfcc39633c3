package org.mediaoffload.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.mediaoffload.audit.AuditListener;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.pipeline.FileOutcome;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;

/**
 * The daemon's Prometheus metrics, all prefixed {@code synapse_media_offload_}. Fed by the engine as a
 * {@link RunListener} and by the S3 adapter through {@link #s3RequestCompleted}. No label ever carries a file,
 * media id or secret, so cardinality stays fixed.
 */
public final class OffloadMetrics implements RunListener, AuditListener, AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private final RunGauges runs = new RunGauges();
    private final AuditGauges audits = new AuditGauges();
    private final S3RequestMetrics s3;
    private final Map<RunStatus, Counter> runsByOutcome = new EnumMap<>(RunStatus.class);
    private final Map<RunStatus, Counter> dryRunsByOutcome = new EnumMap<>(RunStatus.class);
    private final Map<FileOutcome, Counter> files = new EnumMap<>(FileOutcome.class);
    private final Map<FileOutcome, Counter> fileBytes = new EnumMap<>(FileOutcome.class);
    private final Counter filesDeleted;
    private final Counter bytesDeleted;
    private final Counter bytesFreed;
    private final Counter localContentMismatches;
    private final Timer runDuration;
    private final Timer dryRunDuration;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    /** File counters ignore dry runs: nothing was moved. Set at runStarted, read by file events of that run. */
    private volatile boolean currentRunIsDry;
    /** Set by the daemon once the engine is open; 0 until then. */
    private volatile BooleanSupplier targetMismatch = () -> false;

    /** A registry of its own, with JVM and process metrics bound. */
    public static OffloadMetrics create(Path mediaStorePath) {
        return new OffloadMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), mediaStorePath,
                Clock.systemUTC());
    }

    public OffloadMetrics(PrometheusMeterRegistry registry, Path mediaStorePath, Clock clock) {
        this.registry = requireNonNull(registry, "registry is null");
        this.clock = requireNonNull(clock, "clock is null");
        requireNonNull(mediaStorePath, "mediaStorePath is null");
        this.s3 = new S3RequestMetrics(registry);
        for (RunStatus status : RunStatus.values()) {
            if (status != RunStatus.RUNNING) {
                runsByOutcome.put(status, runCounter(status, false));
                dryRunsByOutcome.put(status, runCounter(status, true));
            }
        }
        for (FileOutcome outcome : FileOutcome.values()) {
            files.put(outcome, fileCounter(lower(outcome)));
            fileBytes.put(outcome, byteCounter(lower(outcome)));
        }
        filesDeleted = fileCounter("deleted");
        bytesDeleted = byteCounter("deleted");
        bytesFreed = Counter.builder(MetricNames.FREED).baseUnit(MetricNames.BYTES)
                .description("Local bytes removed after their upload was verified").register(registry);
        localContentMismatches = Counter.builder(MetricNames.LOCAL_CONTENT_MISMATCHES)
                .description("Local originals whose bytes differ from Synapse's sha256 (kept: neither uploaded nor"
                        + " deleted); counted in dry runs too, since the local copy is what is wrong")
                .register(registry);
        runDuration = runTimer(false);
        dryRunDuration = runTimer(true);
        runs.register(registry);
        Gauge.builder(MetricNames.TARGET_MISMATCH, () -> targetMismatch.getAsBoolean() ? 1 : 0)
                .description("1 while runs are refused because the configured bucket target is not the pinned one")
                .register(registry);
        audits.register(registry);
        new MediaFilesystemGauges(mediaStorePath).register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /**
     * {@code synapse_media_offload_target_mismatch}: 1 while runs are refused because the configured target is not
     * the pinned one (or cannot be proven), 0 otherwise.
     */
    public void watchTarget(BooleanSupplier mismatched) {
        this.targetMismatch = requireNonNull(mismatched, "mismatched is null");
    }

    /** Sets the last-run figures from the state DB at start, so a restart does not look like "never succeeded". */
    public void restore(Optional<RunSummary> lastRun, Optional<RunSummary> lastSuccess) {
        runs.restore(requireNonNull(lastRun, "lastRun is null"), requireNonNull(lastSuccess, "lastSuccess is null"));
    }

    /**
     * After a restart: the audit gauges as the journal left them. {@code lastComplete} (the newest CLEAN or PROBLEMS
     * audit) sets the per-class figures and the last success; {@code last}, when it is a later INCOMPLETE or REFUSED
     * one, only the start, end, duration and "last complete = 0", as it did before the restart. Restoring only the
     * latest would show "never succeeded" after an incomplete audit, and fire "no audit for 8 days" at once.
     * {@code expectedSince} ({@code AuditJournal#expectedSince}) is when audits became due, from which the alert
     * counts until one completes.
     */
    public void restoreAudit(Optional<AuditReport> last, Optional<AuditReport> lastComplete, Instant expectedSince) {
        requireNonNull(last, "last is null");
        requireNonNull(lastComplete, "lastComplete is null").ifPresent(audits::finished);
        last.filter(l -> lastComplete.map(c -> c.id() != l.id()).orElse(true)).ifPresent(audits::finished);
        audits.expectedSince(requireNonNull(expectedSince, "expectedSince is null"));
    }

    @Override
    public void auditStarted(long id, Instant at) {
        audits.started(at);
    }

    @Override
    public void auditFinished(AuditReport report) {
        audits.finished(report);
    }

    /**
     * One S3 request finished. {@code httpStatus} 0 means no response arrived; 0 and 4xx/5xx count as errors.
     */
    public void s3RequestCompleted(String operation, int httpStatus, long nanos) {
        s3.completed(operation, httpStatus, nanos);
    }

    /** The Prometheus text exposition format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void runStarted(long runId, String trigger, boolean dryRun) {
        currentRunIsDry = dryRun;
        runs.runStarted(clock.instant(), dryRun);
    }

    @Override
    public void workPlanned(long media, long files, long bytes) {
        runs.workPlanned(files, bytes);
    }

    @Override
    public void fileProgressed(long bytes) {
        runs.fileDone(bytes);
    }

    @Override
    public void fileFinished(FileOutcome outcome, long bytes) {
        if (!currentRunIsDry) {
            files.get(outcome).increment();
            fileBytes.get(outcome).increment(Math.max(0, bytes));
        }
    }

    @Override
    public void fileDeleted(long bytes) {
        if (!currentRunIsDry) {
            filesDeleted.increment();
            bytesDeleted.increment(Math.max(0, bytes));
            bytesFreed.increment(Math.max(0, bytes));
        }
    }

    @Override
    public void localContentDiffers(long bytes) {
        localContentMismatches.increment();
    }

    @Override
    public void runFinished(RunSummary summary) {
        requireNonNull(summary, "summary is null");
        runs.runFinished(summary);
        Counter counter = (summary.dryRun() ? dryRunsByOutcome : runsByOutcome).get(summary.status());
        if (counter != null) {
            counter.increment();
        }
        Duration took = Duration.between(summary.startedAt(), summary.endedAt());
        if (!took.isNegative()) {
            (summary.dryRun() ? dryRunDuration : runDuration).record(took);
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }

    private Counter runCounter(RunStatus status, boolean dryRun) {
        return Counter.builder(MetricNames.RUNS).description("Finished runs by outcome; dry_run=\"true\" moved nothing")
                .tag(MetricNames.TAG_OUTCOME, lower(status))
                .tag(MetricNames.TAG_DRY_RUN, Boolean.toString(dryRun))
                .register(registry);
    }

    private Timer runTimer(boolean dryRun) {
        return Timer.builder(MetricNames.RUN_DURATION).description("How long runs took")
                .tag(MetricNames.TAG_DRY_RUN, Boolean.toString(dryRun)).register(registry);
    }

    private Counter fileCounter(String result) {
        return Counter.builder(MetricNames.FILES).description("Local files handled, by result")
                .tag(MetricNames.TAG_RESULT, result).register(registry);
    }

    private Counter byteCounter(String result) {
        return Counter.builder(MetricNames.FILE_BYTES).baseUnit(MetricNames.BYTES)
                .description("Bytes of local files handled, by result")
                .tag(MetricNames.TAG_RESULT, result).register(registry);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}

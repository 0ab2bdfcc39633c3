package org.mediaoffload.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.mediaoffload.testing.Scrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.FileOutcome;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;

class OffloadMetricsTest {
    private static final Instant START = Instant.parse("2026-11-28T05:00:00Z");
    private static final Instant END = Instant.parse("2026-11-28T05:10:00Z");

    @TempDir
    Path mediaStore;

    private OffloadMetrics metrics;

    @BeforeEach
    void setUp() {
        metrics = new OffloadMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), mediaStore,
                Clock.fixed(START, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        metrics.close();
    }

    static RunSummary summary(long id, RunStatus status, boolean dryRun, Instant start, Instant end) {
        return new RunSummary(id, "schedule", dryRun, status, start, end, 10, 1, 3, 3000, 2, 5, 5000, 1, 1,
                7, 70_000, List.of("local_content/ab/cd/ef: boom"));
    }

    @Test
    void countsFilesAndBytesPerResultAndTheRunOutcome() {
        metrics.runStarted(1, "schedule", false);
        metrics.workPlanned(4, 6, 6000);
        for (long bytes : new long[] {1000, 2000, 500, 100}) {
            metrics.fileProgressed(bytes);
        }
        metrics.fileFinished(FileOutcome.UPLOADED, 1000);
        metrics.fileFinished(FileOutcome.UPLOADED, 2000);
        metrics.fileFinished(FileOutcome.ALREADY_PRESENT, 500);
        metrics.fileFinished(FileOutcome.FAILED, 100);
        metrics.fileDeleted(1000);

        Scrape during = Scrape.parse(metrics.scrape());
        assertThat(during.value("synapse_media_offload_run_in_progress{dry_run=\"false\"}")).hasValue(1);
        assertThat(during.value("synapse_media_offload_current_run_files_done")).hasValue(4);
        assertThat(during.value("synapse_media_offload_current_run_files_planned")).hasValue(6);
        assertThat(during.value("synapse_media_offload_current_run_done_bytes")).hasValue(3600);
        assertThat(during.value("synapse_media_offload_current_run_planned_bytes")).hasValue(6000);
        assertThat(during.value("synapse_media_offload_last_run_start_timestamp_seconds"))
                .hasValue(START.getEpochSecond());

        metrics.runFinished(summary(1, RunStatus.FAILED_FILES, false, START, END));
        Scrape after = Scrape.parse(metrics.scrape());
        assertThat(after.value("synapse_media_offload_files_total{result=\"uploaded\"}")).hasValue(2);
        assertThat(after.value("synapse_media_offload_file_bytes_total{result=\"uploaded\"}")).hasValue(3000);
        assertThat(after.value("synapse_media_offload_files_total{result=\"already_present\"}")).hasValue(1);
        assertThat(after.value("synapse_media_offload_files_total{result=\"failed\"}")).hasValue(1);
        assertThat(after.value("synapse_media_offload_files_total{result=\"skipped\"}")).hasValue(0);
        assertThat(after.value("synapse_media_offload_files_total{result=\"deleted\"}")).hasValue(1);
        assertThat(after.value("synapse_media_offload_freed_bytes_total")).hasValue(1000);
        assertThat(after.value("synapse_media_offload_runs_total{dry_run=\"false\",outcome=\"failed_files\"}")).hasValue(1);
        assertThat(after.value("synapse_media_offload_runs_total{dry_run=\"false\",outcome=\"succeeded\"}")).hasValue(0);
        assertThat(after.value("synapse_media_offload_last_run_outcome{outcome=\"failed_files\"}")).hasValue(1);
        assertThat(after.value("synapse_media_offload_last_run_outcome{outcome=\"succeeded\"}")).hasValue(0);
        assertThat(after.value("synapse_media_offload_last_run_end_timestamp_seconds")).hasValue(END.getEpochSecond());
        assertThat(after.value("synapse_media_offload_last_success_timestamp_seconds")).hasValue(0);
        assertThat(after.value("synapse_media_offload_run_in_progress{dry_run=\"false\"}")).hasValue(0);
        assertThat(after.value("synapse_media_offload_backlog_files")).hasValue(7);
        assertThat(after.value("synapse_media_offload_backlog_bytes")).hasValue(70_000);
        assertThat(after.value("synapse_media_offload_run_duration_seconds_sum{dry_run=\"false\"}")).hasValue(600);
    }

    @Test
    void aDryRunMovesNoCounterIsNoSuccessAndCarriesTheDryRunLabel() {
        metrics.runStarted(2, "http", true);
        metrics.fileFinished(FileOutcome.UPLOADED, 1000);
        metrics.fileDeleted(1000);
        Scrape during = Scrape.parse(metrics.scrape());
        assertThat(during.value("synapse_media_offload_run_in_progress{dry_run=\"true\"}")).hasValue(1);
        assertThat(during.value("synapse_media_offload_run_in_progress{dry_run=\"false\"}")).hasValue(0);
        metrics.runFinished(summary(2, RunStatus.SUCCEEDED, true, START, END));

        Scrape scrape = Scrape.parse(metrics.scrape());
        assertThat(scrape.value("synapse_media_offload_files_total{result=\"uploaded\"}")).hasValue(0);
        assertThat(scrape.value("synapse_media_offload_freed_bytes_total")).hasValue(0);
        assertThat(scrape.value("synapse_media_offload_runs_total{dry_run=\"true\",outcome=\"succeeded\"}")).hasValue(1);
        assertThat(scrape.value("synapse_media_offload_runs_total{dry_run=\"false\",outcome=\"succeeded\"}")).hasValue(0);
        assertThat(scrape.value("synapse_media_offload_run_duration_seconds_count{dry_run=\"false\"}")).hasValue(0);
        assertThat(scrape.value("synapse_media_offload_last_success_timestamp_seconds")).hasValue(0);
    }

    @Test
    void restoreMakesARestartLookLikeTheLastRun() {
        Instant earlier = Instant.parse("2026-11-27T05:30:00Z");
        metrics.restore(Optional.of(summary(9, RunStatus.ABORTED, false, START, END)),
                Optional.of(summary(8, RunStatus.SUCCEEDED, false, earlier.minusSeconds(60), earlier)));

        Scrape scrape = Scrape.parse(metrics.scrape());
        assertThat(scrape.value("synapse_media_offload_last_success_timestamp_seconds"))
                .hasValue(earlier.getEpochSecond());
        assertThat(scrape.value("synapse_media_offload_last_run_outcome{outcome=\"aborted\"}")).hasValue(1);
        assertThat(scrape.value("synapse_media_offload_last_run_start_timestamp_seconds"))
                .hasValue(START.getEpochSecond());
        assertThat(scrape.value("synapse_media_offload_backlog_files")).hasValue(7);
        // Restoring is not a run: the outcome counter must not move, or increase() would show a phantom run.
        assertThat(scrape.value("synapse_media_offload_runs_total{dry_run=\"false\",outcome=\"aborted\"}")).hasValue(0);
    }

    @Test
    void s3RequestsGiveLatencyByOperationAndErrorsByStatus() {
        metrics.s3RequestCompleted("PutObject", 200, 3_000_000);
        metrics.s3RequestCompleted("PutObject", 503, 1_000_000);
        metrics.s3RequestCompleted("HeadObject", 0, 2_000_000);

        Scrape scrape = Scrape.parse(metrics.scrape());
        assertThat(scrape.value("synapse_media_offload_s3_request_duration_seconds_count{operation=\"PutObject\"}"))
                .hasValue(2);
        assertThat(scrape.value(
                "synapse_media_offload_s3_request_duration_seconds_bucket{operation=\"PutObject\",le=\"0.005\"}"))
                .hasValue(2);
        assertThat(scrape.value(
                "synapse_media_offload_s3_request_errors_total{operation=\"PutObject\",status=\"503\"}")).hasValue(1);
        assertThat(scrape.value(
                "synapse_media_offload_s3_request_errors_total{operation=\"HeadObject\",status=\"none\"}")).hasValue(1);
        assertThat(scrape.samples().keySet()).noneMatch(s -> s.contains("status=\"200\""));
    }

    @Test
    void exportsTheMediaFilesystemAndJvmMetrics() {
        Scrape scrape = Scrape.parse(metrics.scrape());
        assertThat(scrape.value("synapse_media_offload_media_filesystem_size_bytes").orElseThrow()).isPositive();
        assertThat(scrape.value("synapse_media_offload_media_filesystem_free_bytes").orElseThrow()).isPositive();
        assertThat(scrape.hasMetric("jvm_memory_used_bytes")).isTrue();
        assertThat(scrape.hasMetric("process_uptime_seconds")).isTrue();
        assertThat(scrape.hasMetric("process_files_open_files")).isTrue();
    }
}

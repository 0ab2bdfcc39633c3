package org.mediaoffload.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.audit.AuditClass;
import org.mediaoffload.audit.AuditJournal;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.testing.Scrape;

/**
 * The audit's gauges ({@code synapse_media_offload_audit_*}) by their scraped names: per class objects and bytes,
 * new and acknowledged lost media, start/end/success times and duration; an incomplete audit leaves the figures of
 * the last complete one; and a daemon restarted after an incomplete audit restores both from the audit journal.
 */
class AuditMetricsTest {
    private static final Instant START = Instant.parse("2026-11-29T03:00:00Z");
    private static final Instant END = START.plusSeconds(600);
    private static final Instant LATER_START = START.plus(Duration.ofDays(7));
    private static final Instant LATER_END = LATER_START.plusSeconds(21_600);

    @TempDir
    Path dir;

    private OffloadMetrics metrics() {
        return new OffloadMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), dir.resolve("media"),
                Clock.fixed(START, ZoneOffset.UTC));
    }

    @Test
    void everyAuditGaugeIsScrapedUnderItsNameAndAnIncompleteAuditKeepsTheCompleteOnesFigures() {
        try (OffloadMetrics metrics = metrics()) {
            metrics.auditStarted(1, START);
            Scrape during = Scrape.parse(metrics.scrape());
            assertThat(during.value("synapse_media_offload_audit_in_progress")).hasValue(1);
            assertThat(during.value("synapse_media_offload_audit_last_start_timestamp_seconds"))
                    .hasValue(START.getEpochSecond());

            metrics.auditFinished(report(1, AuditReport.PROBLEMS, START, END));
            Scrape after = Scrape.parse(metrics.scrape());
            assertComplete(after);
            assertThat(after.value("synapse_media_offload_audit_last_end_timestamp_seconds"))
                    .hasValue(END.getEpochSecond());
            assertThat(after.value("synapse_media_offload_audit_duration_seconds")).hasValue(600);
            assertThat(after.value("synapse_media_offload_audit_in_progress")).hasValue(0);
            assertThat(after.value("synapse_media_offload_audit_last_complete")).hasValue(1);

            metrics.auditStarted(2, LATER_START);
            metrics.auditFinished(report(2, AuditReport.INCOMPLETE, LATER_START, LATER_END));
            Scrape incomplete = Scrape.parse(metrics.scrape());
            assertComplete(incomplete);
            assertIncompleteLast(incomplete);
        }
    }

    /** Restoring only the latest report showed "never succeeded" and fired "no audit for 8 days" at once. */
    @Test
    void aRestartAfterAnIncompleteAuditRestoresTheLastCompleteOnesFiguresAndSuccess() {
        try (AuditJournal journal = AuditJournal.open(dir.resolve("state"))) {
            journal.finished(report(journal.started("schedule", START), AuditReport.PROBLEMS, START, END));
            journal.finished(report(journal.started("schedule", LATER_START), AuditReport.INCOMPLETE, LATER_START,
                    LATER_END));

            try (OffloadMetrics metrics = metrics()) {
                metrics.restoreAudit(journal.latest(), journal.latestComplete(), journal.expectedSince());
                Scrape restored = Scrape.parse(metrics.scrape());
                assertComplete(restored);
                assertIncompleteLast(restored);
                assertThat(restored.value("synapse_media_offload_audit_expected_since_timestamp_seconds"))
                        .hasValueCloseTo(journal.expectedSince().toEpochMilli() / 1000.0,
                                org.assertj.core.data.Offset.offset(1.0));
            }
            assertThat(journal.latestComplete()).map(AuditReport::status).contains(AuditReport.PROBLEMS);
            assertThat(journal.latest()).map(AuditReport::status).contains(AuditReport.INCOMPLETE);
        }
    }

    /** The figures of report 1 (PROBLEMS, ended at END). */
    private static void assertComplete(Scrape s) {
        assertThat(s.value("synapse_media_offload_audit_objects{class=\"orphan\"}")).hasValue(4);
        assertThat(s.value("synapse_media_offload_audit_bytes{class=\"orphan\"}")).hasValue(400);
        assertThat(s.value("synapse_media_offload_audit_objects{class=\"lost\"}")).hasValue(5);
        assertThat(s.value("synapse_media_offload_audit_objects{class=\"foreign\"}")).hasValue(0);
        assertThat(s.value("synapse_media_offload_audit_new_lost_media")).hasValue(2);
        assertThat(s.value("synapse_media_offload_audit_acknowledged_lost_media")).hasValue(3);
        assertThat(s.value("synapse_media_offload_audit_last_success_timestamp_seconds"))
                .hasValue(END.getEpochSecond());
    }

    /** The later audit stopped at max-duration: its times, and "last complete" 0. */
    private static void assertIncompleteLast(Scrape s) {
        assertThat(s.value("synapse_media_offload_audit_last_start_timestamp_seconds"))
                .hasValue(LATER_START.getEpochSecond());
        assertThat(s.value("synapse_media_offload_audit_last_end_timestamp_seconds"))
                .hasValue(LATER_END.getEpochSecond());
        assertThat(s.value("synapse_media_offload_audit_duration_seconds")).hasValue(21_600);
        assertThat(s.value("synapse_media_offload_audit_last_complete")).hasValue(0);
    }

    /**
     * A report with 5 lost media (2 new, 3 acknowledged) and 4 orphans of 100 bytes each; an INCOMPLETE one
     * counted only a part (1 orphan), which the gauges must not show.
     */
    private static AuditReport report(long id, String status, Instant start, Instant end) {
        boolean complete = !AuditReport.INCOMPLETE.equals(status);
        long orphans = complete ? 4 : 1;
        long lost = complete ? 5 : 1;
        Map<String, AuditReport.Count> classes = new LinkedHashMap<>();
        for (AuditClass c : AuditClass.values()) {
            classes.put(c.jsonName(), new AuditReport.Count(0, 0));
        }
        classes.put(AuditClass.ORPHAN.jsonName(), new AuditReport.Count(orphans, 100 * orphans));
        classes.put(AuditClass.LOST.jsonName(), new AuditReport.Count(lost, 0));
        return new AuditReport(id, "schedule", status, false, start, end,
                Duration.between(start, end).toMillis() / 1000.0, 100, 10_000, 100, lost, 0, complete ? 2 : 1,
                complete ? 3 : 0, orphans, 100 * orphans, 0, 0, 0, 0, 0, 0, 0, 0, 0, "Off", "Off", true, classes,
                Map.of(), List.of(), null);
    }
}

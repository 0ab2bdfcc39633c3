package org.mediaoffload.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mediaoffload.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.FileOutcome;
import org.mediaoffload.pipeline.RunStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard imports cleanly (datasource input, unique panel ids) and every metric it or the alert
 * rules query is one OffloadMetrics exports.
 */
public class DashboardTest {
    private static final Path DASHBOARD = Path.of("grafana/synapse-media-offload.json");
    private static final Path ALERTS = Path.of("grafana/alerts.yml");
    private static final Pattern METRIC = Pattern.compile("synapse_media_offload_[a-z0-9_]+");
    private static final Pattern JVM_OR_PROCESS = Pattern.compile("\\b(jvm|process)_[a-z0-9_]+");

    @TempDir
    Path mediaStore;

    private final JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));

    DashboardTest() throws Exception {}

    @Test
    void isInGrafanaImportFormatWithAPrometheusInput() {
        JsonNode inputs = dashboard.get("__inputs");
        assertThat(inputs).anySatisfy(i -> {
            assertThat(i.get("name").asString()).isEqualTo("DS_PROMETHEUS");
            assertThat(i.get("type").asString()).isEqualTo("datasource");
            assertThat(i.get("pluginId").asString()).isEqualTo("prometheus");
        });
        assertThat(dashboard.get("uid").asString()).isEqualTo("synapse-media-offload");
        assertThat(panels()).allSatisfy(p -> {
            if (!p.get("type").asString().equals("row")) {
                assertThat(p.get("datasource").get("uid").asString()).isEqualTo("${DS_PROMETHEUS}");
                assertThat(p.get("targets")).isNotEmpty();
            }
        });
    }

    @Test
    void panelIdsAreUnique() {
        List<Integer> ids = panels().stream().map(p -> p.get("id").asInt()).toList();
        assertThat(ids).doesNotHaveDuplicates().hasSizeGreaterThan(10);
    }

    @Test
    void hasThePanelsOperatorsNeed() {
        assertThat(panels().stream().map(p -> p.get("title").asString()))
                .contains("Last success age", "Run outcomes over time", "Files per result", "Bytes per result",
                        "Backlog (files)", "Failures", "S3 request latency", "Current run progress",
                        "Lost media (new)", "Last audit age", "Audit classes (bytes)", "Audit in progress",
                        "Last audit complete", "Lost media (acknowledged)", "Orphans deleted by reconcile",
                        "Bytes reclaimed by reconcile", "Target mismatch", "Local content mismatches (1d)",
                        "Last run started / ended", "JVM heap", "CPU and GC");
    }

    /** A metric only an alert rule or nobody looks at is one an operator cannot see before it pages. */
    @Test
    void everyExportedMetricIsShownByAPanel() throws Exception {
        Set<String> shown = new TreeSet<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                metricNames(target.get("expr").asString()).forEach(name -> shown.add(family(name)));
            }
        }
        Set<String> exported = new TreeSet<>();
        for (String series : Scrape.parse(afterARun().scrape()).samples().keySet()) {
            metricNames(series.replaceFirst("\\{.*", "")).forEach(name -> exported.add(family(name)));
        }

        assertThat(exported).hasSizeGreaterThan(30);
        assertThat(exported).allSatisfy(name -> assertThat(shown).as("%s is exported but no panel shows it", name)
                .contains(name));
    }

    /**
     * The JVM and process meters the dashboard queries exist under those names; the GC pause timer is registered at
     * the first pause, so a scrape before any GC does not have it.
     */
    @Test
    void everyQueriedJvmAndProcessMetricIsExported() {
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = JVM_OR_PROCESS.matcher(target.get("expr").asString());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        queried.removeIf(name -> name.startsWith("jvm_gc_pause_seconds"));

        Scrape scrape = Scrape.parse(afterARun().scrape());

        assertThat(queried).contains("jvm_memory_used_bytes", "process_cpu_usage");
        assertThat(queried).allSatisfy(name -> assertThat(scrape.hasMetric(name))
                .as("%s is queried by the dashboard but not exported", name).isTrue());
    }

    @Test
    void everyQueriedMetricIsExported() throws Exception {
        Set<String> queried = queriedMetrics();
        assertThat(queried).hasSizeGreaterThan(15);

        Scrape scrape = Scrape.parse(afterARun().scrape());

        assertThat(queried).allSatisfy(name -> assertThat(scrape.hasMetric(name))
                .as("%s is queried by the dashboard or alerts but not exported", name).isTrue());
    }

    private OffloadMetrics afterARun() {
        OffloadMetrics metrics = new OffloadMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), mediaStore,
                Clock.systemUTC());
        Instant start = Instant.now().minusSeconds(60);
        metrics.runStarted(1, "schedule", false);
        metrics.workPlanned(2, 3, 3000);
        metrics.fileFinished(FileOutcome.UPLOADED, 1000);
        metrics.fileFinished(FileOutcome.FAILED, 1000);
        metrics.fileDeleted(1000);
        metrics.s3RequestCompleted("PutObject", 200, 5_000_000);
        metrics.s3RequestCompleted("PutObject", 500, 5_000_000);
        metrics.runFinished(OffloadMetricsTest.summary(1, RunStatus.FAILED_FILES, false, start, Instant.now()));
        metrics.restore(Optional.empty(), Optional.empty());
        return metrics;
    }

    /** Every synapse_media_offload_* name the dashboard and the alert rules query. */
    public static Set<String> queriedMetrics() throws Exception {
        DashboardTest test = new DashboardTest();
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : test.panels()) {
            for (JsonNode target : panel.path("targets")) {
                queried.addAll(metricNames(target.get("expr").asString()));
            }
        }
        for (JsonNode variable : test.dashboard.get("templating").get("list")) {
            queried.addAll(metricNames(variable.get("definition").asString()));
        }
        queried.addAll(metricNames(Files.readString(ALERTS)));
        return queried;
    }

    private List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    /** A timer's or histogram's series belong to one metric: a panel showing any of them shows it. */
    private static String family(String name) {
        return name.replaceFirst("_(count|sum|max|bucket)$", "");
    }

    private static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}

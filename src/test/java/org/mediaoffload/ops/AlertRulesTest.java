package org.mediaoffload.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mediaoffload.testing.RequiredTool;

/** grafana/alerts.yml is valid for Prometheus, and its alerts fire (and stay quiet) as its unit tests say. */
class AlertRulesTest {
    @Test
    void rulesPassPromtoolCheck() throws Exception {
        Path promtool = RequiredTool.require("/usr/bin/promtool", "prometheus");

        Commands check = Commands.run(List.of(promtool.toString(), "check", "rules", "grafana/alerts.yml"));

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 11 rules found");
    }

    @Test
    void rulesPassTheirPromtoolUnitTests() throws Exception {
        Path promtool = RequiredTool.require("/usr/bin/promtool", "prometheus");

        Commands test = Commands.run(List.of(promtool.toString(), "test", "rules", "grafana/alerts.test.yml"));

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }
}

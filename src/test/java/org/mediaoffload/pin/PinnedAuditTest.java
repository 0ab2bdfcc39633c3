package org.mediaoffload.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mediaoffload.Engine;
import org.mediaoffload.audit.AuditCoordinator;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.WorkGate;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.Scrape;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10: the audit honours the pinned target like a run. Its figures (and reconcile's deletions) are about the
 * bucket Synapse reads only if the configured target is the pinned one; otherwise the audit is REFUSED before it
 * reads anything, from the daemon's coordinator (schedule, API) and from the command line (exit 2).
 */
class PinnedAuditTest extends EngineTestBase {

    @Test
    void aDaemonAuditOfAnotherTargetIsRefusedReadsNothingAndIsNoCompleteAudit() throws Exception {
        harness(Db.SQLITE);
        h.quietPeriod = Duration.ZERO;
        h.addLocal("auditPinAAAAAAAAAAAAAAAA", bytes(500, 1), 3 * DAY_MS);
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        h.prefix = "elsewhere/";
        OffloadMetrics metrics = OffloadMetrics.create(tmp);
        h.requests.reset();

        AuditReport refused;
        try (Engine engine = h.openEngine(RunListener.NONE);
                AuditCoordinator audits = new AuditCoordinator(engine.audit(), engine.auditJournal(), new WorkGate(),
                        metrics, Clock.systemUTC())) {
            refused = audits.runNow("schedule");
            assertThat(engine.auditJournal().latest().orElseThrow().status()).isEqualTo(AuditReport.REFUSED);
            assertThat(engine.target().mismatched()).isTrue();
        }

        assertThat(refused.status()).isEqualTo(AuditReport.REFUSED);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(String.join("\n", refused.errors())).contains("not the one pinned").contains("prefix")
                .contains("accept-target");
        assertThat(refused.objectsAudited()).isZero();
        assertThat(h.requests.count("ListObjectsV2")).as("%s", h.requests).isZero();
        assertThat(Scrape.parse(metrics.scrape()).value("synapse_media_offload_audit_last_complete")).hasValue(0);

        h.prefix = "";
        try (Engine engine = h.openEngine(RunListener.NONE);
                AuditCoordinator audits = new AuditCoordinator(engine.audit(), engine.auditJournal(), new WorkGate(),
                        metrics, Clock.systemUTC())) {
            AuditReport pinned = audits.runNow("schedule");
            assertThat(pinned.status()).as("%s", pinned.errors()).isEqualTo(AuditReport.CLEAN);
            assertThat(pinned.objectsAudited()).isEqualTo(1);
        }
    }

    @Test
    void aCommandLineAuditOfAnotherTargetExitsTwo() throws Exception {
        harness(Db.POSTGRES);
        h.addLocal("auditPinBBBBBBBBBBBBBBBB", bytes(500, 2), 3 * DAY_MS);
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        h.prefix = "elsewhere/";
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        CliProcess cli = CliProcess.start(tmp, "audit", "--config", conf.toString(), "--json");

        assertThat(cli.await()).as(cli.stderr()).isEqualTo(2);
        assertThat(cli.stderr()).contains("audit refused").contains("not the one pinned");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JsonMapper.builder().build().readValue(cli.stdout().strip(), Map.class);
        assertThat(json).containsEntry("status", "REFUSED").containsEntry("objectsAudited", 0);
    }
}

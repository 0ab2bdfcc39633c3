package org.mediaoffload.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mediaoffload.journal.StateDirLock;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import tools.jackson.databind.json.JsonMapper;

/** audit as an operator runs it: a child JVM, a HOCON file, exit codes and --json on stdout. */
class AuditCommandTest extends EngineTestBase {
    @Test
    void aCleanStoreExitsZeroWithTheJsonFigures() throws Exception {
        harness(Db.POSTGRES);
        // No quiet period: the objects this test uploads a moment before the audit count as settled.
        h.quietPeriod = Duration.ZERO;
        h.addLocal("cleanAAAAAAAAAAAAAAAAAAA", bytes(1_000, 1), 3 * DAY_MS);
        h.addLocal("cleanBBBBBBBBBBBBBBBBBBB", bytes(2_000, 2), 3 * DAY_MS);
        assertThat(h.run().filesUploaded()).isEqualTo(2);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 4);

        CliProcess cli = CliProcess.start(tmp, "audit", "--config", conf.toString(), "--json", "--verify-content", "all");

        assertThat(cli.await()).as(cli.stderr()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JsonMapper.builder().build().readValue(cli.stdout().strip(), Map.class);
        assertThat(json).containsEntry("status", "CLEAN").containsEntry("objectsAudited", 2)
                .containsEntry("bytesAudited", 3_000).containsEntry("mediaRows", 2).containsEntry("lostMedia", 0)
                .containsEntry("lostRemoteMedia", 0).containsEntry("orphanObjects", 0).containsEntry("orphanBytes", 0)
                .containsEntry("sizeMismatches", 0).containsEntry("strayThumbnails", 0)
                .containsEntry("foreignObjects", 0).containsEntry("contentChecked", 2)
                .containsEntry("contentMismatches", 0).containsEntry("unreadable", 0)
                .containsEntry("orphansDeleted", 0).containsEntry("bytesReclaimed", 0)
                .containsKeys("samples", "durationSeconds", "bucketVersioning", "bucketObjectLock");
        assertThat(cli.stderr()).doesNotContain(OffloadHarness.SSE_KEY).doesNotContain(server.secretKey())
                .doesNotContain(h.s3Config().sseCustomerKey().orElseThrow().keyBase64());
    }

    /** On a terminal: the progress bar (on stderr, carriage returns and all) and the readable summary. */
    @Test
    void onATerminalAProgressBarAndASummary() throws Exception {
        Path script = org.mediaoffload.testing.RequiredTool.require("/usr/bin/script", "bsdutils");
        harness(Db.SQLITE);
        h.quietPeriod = Duration.ZERO;
        h.addLocal("barAAAAAAAAAAAAAAAAAAAAA", bytes(1_000, 1), 3 * DAY_MS);
        assertThat(h.run().filesUploaded()).isEqualTo(1);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // script(1) gives the audit a terminal for stdin, stdout and stderr.
        String command = "'" + javaBin + "' -cp '" + System.getProperty("java.class.path") + "' org.mediaoffload.Main"
                + " audit --config '" + conf + "'";
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qec", command, "/dev/null")
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_")); // as CliProcess: no host-wide AWS_CA_BUNDLE
        Process p = pb.start();
        p.getOutputStream().close();
        String terminal = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(terminal).isZero();
        // The bar's own line: task name, its ASCII track in brackets, the count and unit (the summary has none).
        assertThat(terminal).as(terminal).containsPattern("Audit[^\n]*\\[[^\n]*\\][^\n]* keys");
        assertThat(terminal).as(terminal).containsIgnoringCase("clean");
    }

    @Test
    void lostMediaExitOneAndThePlainReportNamesThem() throws Exception {
        harness(Db.SQLITE);
        h.fixture().insertLocal("lostCCCCCCCCCCCCCCCCCCCC", 400L, System.currentTimeMillis() - DAY_MS, null, null,
                null);
        // The store exists (Synapse keeps its top-level directories); only the media's file is gone.
        java.nio.file.Files.createDirectories(h.mediaStore().resolve("local_content"));
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        CliProcess cli = CliProcess.start(tmp, "audit", "--config", conf.toString());

        assertThat(cli.await()).as(cli.stderr()).isEqualTo(1);
        assertThat(cli.stdout()).contains("lost local media").contains("lostCCCCCCCCCCCCCCCCCCCC");
    }

    @SuppressWarnings("try") // the lock is held for the try's duration, as a daemon holds it
    @Test
    void anAuditBesideARunningProcessExitsTwoNamingTheHolder() throws Exception {
        harness(Db.SQLITE);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        try (StateDirLock held = StateDirLock.acquire(h.stateDir(), "daemon")) {
            CliProcess cli = CliProcess.start(tmp, "audit", "--config", conf.toString());

            assertThat(cli.await()).isEqualTo(2);
            assertThat(cli.stderr()).contains(Long.toString(ProcessHandle.current().pid())).contains("daemon");
        }
    }

    @Test
    void aBadVerifyContentArgumentExitsTwoNamingTheOption() throws Exception {
        harness(Db.SQLITE);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        CliProcess cli = CliProcess.start(tmp, "audit", "--config", conf.toString(), "--verify-content", "some");

        assertThat(cli.await()).isEqualTo(2);
        assertThat(cli.stderr()).contains("--verify-content").contains("\"some\"");
    }

    /** A usage error, found before the audit starts: not an INCOMPLETE audit (exit 1 reads as "media lost"). */
    @Test
    void anExportPathThatCannotBeADirectoryExitsTwoNamingTheOption() throws Exception {
        harness(Db.SQLITE);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        Path file = java.nio.file.Files.writeString(tmp.resolve("not-a-directory"), "x");

        CliProcess cli = CliProcess.start(tmp, "audit", "--config", conf.toString(), "--export", file.toString());

        assertThat(cli.await()).as(cli.stdout()).isEqualTo(2);
        assertThat(cli.stderr()).contains("--export needs a directory").contains(file.toString());
    }

    @Test
    void aBadMaxOrphanFractionOrOneWithoutDeleteOrphansExitsTwoNamingTheOption() throws Exception {
        harness(Db.SQLITE);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        CliProcess tooMuch = CliProcess.start(tmp, "audit", "--config", conf.toString(), "--delete-orphans",
                "--max-orphan-fraction", "1.5");
        CliProcess alone = CliProcess.start(tmp, "audit", "--config", conf.toString(), "--max-orphan-fraction", "0.2");

        assertThat(tooMuch.await()).isEqualTo(2);
        assertThat(tooMuch.stderr()).contains("--max-orphan-fraction").contains("from 0 to 1");
        assertThat(alone.await()).isEqualTo(2);
        assertThat(alone.stderr()).contains("--max-orphan-fraction only applies with --delete-orphans");
    }
}

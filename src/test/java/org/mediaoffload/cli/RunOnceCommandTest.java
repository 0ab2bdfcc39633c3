package org.mediaoffload.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediaoffload.journal.StateDirLock;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.EngineTestBase;
import tools.jackson.databind.json.JsonMapper;

/** run-once as an operator runs it: a child JVM, a HOCON file, exit codes and --json on stdout. */
class RunOnceCommandTest extends EngineTestBase {
    @Test
    void jsonReportsTheRunAndExitCodeIsZero() throws Exception {
        harness(Db.POSTGRES);
        h.addLocal("cliMediaAAAAAAAAAAAAAAAA", bytes(1_000, 1), 3 * DAY_MS);
        h.addLocal("cliMediaBBBBBBBBBBBBBBBB", bytes(2_000, 2), 3 * DAY_MS);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 4);

        CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString(), "--json");

        assertThat(cli.await()).as(cli.stderr()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JsonMapper.builder().build().readValue(cli.stdout().strip(), Map.class);
        assertThat(json).containsEntry("status", "SUCCEEDED").containsEntry("mediaScanned", 2)
                .containsEntry("filesUploaded", 2).containsEntry("bytesUploaded", 3_000)
                .containsEntry("filesAlreadyInStore", 0).containsEntry("filesDeleted", 2)
                .containsEntry("bytesFreed", 3_000).containsEntry("filesFailed", 0).containsEntry("mediaSkipped", 0);
        assertThat(h.localExists(localOriginal("cliMediaAAAAAAAAAAAAAAAA"))).isFalse();
        assertThat(cli.stderr()).doesNotContain(h.s3Config().sseCustomerKey().orElseThrow().keyBase64())
                .doesNotContain(OffloadHarness.SSE_KEY).doesNotContain(server.secretKey());
    }

    @Test
    void aDryRunSaysWhatItWouldUploadAndFreeInWordsAndMovesNothing() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("dryMediaAAAAAAAAAAAAAAAA", bytes(1_000, 1), 3 * DAY_MS);
        h.addLocal("dryMediaBBBBBBBBBBBBBBBB", bytes(2_000, 2), 3 * DAY_MS);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 4);

        CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString(), "--dry-run");

        assertThat(cli.await()).as(cli.stderr()).isZero();
        assertThat(cli.stdout()).containsPattern("Run \\d+ \\(dry run\\) succeeded in \\d+s: would upload 2 files"
                + " \\(2\\.9 KiB\\), would free 2\\.9 KiB").contains("local files that would be deleted: 2");
        assertThat(cli.stderr()).contains("(dry run) succeeded in").contains("would upload 2 files (2.9 KiB)")
                .doesNotContain(" PT").doesNotContain("SUCCEEDED");
        assertThat(h.localExists(localOriginal("dryMediaAAAAAAAAAAAAAAAA"))).isTrue();
        assertThat(h.bucketKeys()).isEmpty();
    }

    @Test
    void withStderrRedirectedTheProgressBarStaysOutOfTheLog() throws Exception {
        Path script = org.mediaoffload.testing.RequiredTool.require("/usr/bin/script", "bsdutils");
        harness(Db.SQLITE);
        h.addLocal("barMediaAAAAAAAAAAAAAAAA", bytes(1_000, 1), 3 * DAY_MS);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        Path log = tmp.resolve("run.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // script(1) gives the command a terminal for stdin and stdout; stderr goes to a file, as in 2>>run.log.
        String command = "'" + javaBin + "' -cp '" + System.getProperty("java.class.path") + "' org.mediaoffload.Main"
                + " run-once --config '" + conf + "' 2>'" + log + "'";
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qec", command, "/dev/null")
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_")); // as CliProcess: no host-wide AWS_CA_BUNDLE
        Process p = pb.start();
        p.getOutputStream().close();
        String terminal = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(terminal).isZero();
        assertThat(terminal).contains("succeeded in");
        assertThat(Files.readString(log)).contains("Run 1 succeeded").doesNotContain("\r").doesNotContain("\u001b")
                .doesNotContain("Offloading");
    }

    @Test
    void versionIsTheBuildsVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String version = pom.substring(pom.indexOf("</artifactId>") + 1);
        version = version.substring(version.indexOf("<version>") + 9, version.indexOf("</version>"));

        CliProcess cli = CliProcess.start(tmp, "--version");

        assertThat(cli.await()).isZero();
        assertThat(cli.stdout().strip()).isEqualTo("synapse-media-offload " + version);
    }

    @Test
    void failedFilesGiveExitCodeOne() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("unreadableCCCCCCCCCCCCCC", bytes(100, 1), 3 * DAY_MS);
        // With the target pinned; without a pin, the unreadable object would refuse the whole run (exit 2).
        h.pinTarget();
        // An object Synapse cannot read with our key (written without SSE-C) must not be trusted or overwritten.
        h.putObject(localOriginal("unreadableCCCCCCCCCCCCCC"), bytes(100, 1), Optional.empty());
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString());

        assertThat(cli.await()).isEqualTo(1);
        assertThat(cli.stdout()).contains("files failed: 1").contains("finished with failed files in")
                .doesNotContain("failed_files");
        assertThat(h.localExists(localOriginal("unreadableCCCCCCCCCCCCCC"))).isTrue();
    }

    @Test
    void aBrokenConfigurationGivesExitCodeTwoNamingTheSetting() throws Exception {
        Path conf = Files.writeString(tmp.resolve("bad.conf"), "offload { s3 { storage-clas = GLACIER } }\n");

        CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString());

        assertThat(cli.await()).isEqualTo(2);
        assertThat(cli.stderr()).contains("offload.s3.storage-clas").contains("offload.s3.storage-class")
                .contains("offload.s3.bucket").contains("offload.media-store-path");
    }

    @Test
    @SuppressWarnings("try") // the lock is held for the block's duration; the body need not touch it
    void aSecondProcessOnTheSameStateDirExitsTwoNamingTheHolder() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("lockedDDDDDDDDDDDDDDDDDD", bytes(100, 1), 3 * DAY_MS);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        try (StateDirLock held = StateDirLock.acquire(h.stateDir(), "daemon")) {
            CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString());

            assertThat(cli.await()).isEqualTo(2);
            assertThat(cli.stderr()).contains(Long.toString(ProcessHandle.current().pid())).contains("daemon");
        }
        assertThat(h.localExists(localOriginal("lockedDDDDDDDDDDDDDDDDDD"))).isTrue();
    }
}

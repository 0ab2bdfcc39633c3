package org.mediaoffload.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.OTHER_SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediaoffload.journal.StateDirLock;
import org.mediaoffload.pin.PinnedTarget;
import org.mediaoffload.pin.Target;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;

/** The pinned target from the command line, in child JVMs: exit codes, messages, accept-target and check-config. */
class TargetCommandsTest extends EngineTestBase {
    @Test
    void runOnceAgainstAnotherKeyExitsTwoUntilTheMoveIsAccepted() throws Exception {
        harness(Db.SQLITE);
        h.offloadLocal("pinnedCliAAAAAAAAAAAAAAA");
        List<String> keysBefore = h.bucketKeys();
        h.addLocal("keptCliBBBBBBBBBBBBBBBBB", bytes(400, 2), 3 * DAY_MS);
        h.sseKey = Optional.of(OTHER_SSE_KEY);
        Path conf = h.writeHoconConfig(tmp.resolve("other-key.conf"), 2);

        CliProcess refused = CliProcess.start(tmp, "run-once", "--config", conf.toString());

        assertThat(refused.await()).as(refused.stderr()).isEqualTo(2);
        assertThat(refused.stderr()).contains("run refused")
                .contains("SSE-C key (offload.s3.sse-customer-key, shown as its MD5): pinned MD5 ")
                .contains("check-config --homeserver-config").contains("accept-target")
                .doesNotContain(OTHER_SSE_KEY).doesNotContain(OffloadHarness.SSE_KEY);
        assertThat(refused.stdout()).contains("refused");
        assertThat(h.bucketKeys()).as("no PUT").isEqualTo(keysBefore);
        assertThat(h.localExists(localOriginal("keptCliBBBBBBBBBBBBBBBBB"))).isTrue();

        CliProcess accept = CliProcess.start(tmp, "accept-target", "--config", conf.toString());

        assertThat(accept.await()).as(accept.stderr()).isZero();
        assertThat(accept.stdout()).containsIgnoringCase("not copied").contains("No run was started")
                .contains("SSE-C key").doesNotContain(OTHER_SSE_KEY);
        assertThat(h.bucketKeys()).as("accept-target starts no run").isEqualTo(keysBefore);
        assertThat(h.pinnedTarget().orElseThrow().target()).isEqualTo(Target.of(h.s3Config()));

        CliProcess next = CliProcess.start(tmp, "run-once", "--config", conf.toString());

        assertThat(next.await()).as(next.stderr()).isZero();
        assertThat(h.localExists(localOriginal("keptCliBBBBBBBBBBBBBBBBB"))).isFalse();
        assertThat(h.objectBytes(localOriginal("keptCliBBBBBBBBBBBBBBBBB"))).contains(bytes(400, 2));
    }

    @Test
    void checkConfigRepinsOnlyWhenSynapsesProviderAgrees() throws Exception {
        harness(Db.SQLITE);
        h.offloadLocal("repinAAAAAAAAAAAAAAAAAAA");
        Target old = h.pinnedTarget().orElseThrow().target();
        h.sseKey = Optional.of(OTHER_SSE_KEY);
        Path conf = h.writeHoconConfig(tmp.resolve("other-key.conf"), 2);

        CliProcess disagrees = CliProcess.start(tmp, "check-config", "--config", conf.toString(),
                "--homeserver-config", homeserverYaml("old.yaml", OffloadHarness.SSE_KEY).toString());

        assertThat(disagrees.await()).isEqualTo(1);
        assertThat(disagrees.stdout()).contains("[FAIL] provider").doesNotContain("[ok]   target");
        assertThat(h.pinnedTarget().orElseThrow().target()).isEqualTo(old);

        CliProcess agrees = CliProcess.start(tmp, "check-config", "--config", conf.toString(),
                "--homeserver-config", homeserverYaml("new.yaml", OTHER_SSE_KEY).toString());

        assertThat(agrees.await()).as(agrees.stdout() + agrees.stderr()).isZero();
        assertThat(agrees.stdout()).contains("[ok]   target").containsIgnoringCase("not copied")
                .doesNotContain(OTHER_SSE_KEY);
        PinnedTarget pinned = h.pinnedTarget().orElseThrow();
        assertThat(pinned.target()).isEqualTo(Target.of(h.s3Config())).isNotEqualTo(old);
        assertThat(pinned.providerConfirmed()).isTrue();
        h.addLocal("repinBBBBBBBBBBBBBBBBBBB", bytes(400, 2), 3 * DAY_MS);
        CliProcess run = CliProcess.start(tmp, "run-once", "--config", conf.toString());
        assertThat(run.await()).as(run.stderr()).isZero();
    }

    @SuppressWarnings("try") // the lock is held for the try's duration, as a daemon holds it
    @Test
    void checkConfigDoesNotPinUnderARunningDaemonAndSaysHowTo() throws Exception {
        harness(Db.SQLITE);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        try (StateDirLock daemon = StateDirLock.acquire(h.stateDir(), "daemon")) {
            CliProcess cli = CliProcess.start(tmp, "check-config", "--config", conf.toString(),
                    "--homeserver-config", homeserverYaml("homeserver.yaml", OffloadHarness.SSE_KEY).toString());

            assertThat(cli.await()).as(cli.stdout()).isZero();
            assertThat(cli.stdout()).contains("[ok]   provider").contains("[warn] target: not pinned")
                    .contains("POST /api/v1/target");
        }
        assertThat(h.pinnedTarget()).isEmpty();
    }

    @Test
    void aHomeserverYamlWithoutAProviderEntryKeepsEveryLocalFileAndSaysSo() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("noEntryAAAAAAAAAAAAAAAAA", bytes(300, 1), 3 * DAY_MS);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        Path homeserver = Files.writeString(tmp.resolve("homeserver.yaml"), "server_name: example.org\n");

        CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString(), "--homeserver-config",
                homeserver.toString());

        assertThat(cli.await()).as(cli.stderr()).isZero();
        assertThat(cli.stdout()).contains("no S3 storage provider entry").contains("no local file is deleted")
                .contains("local files deleted: 0");
        assertThat(h.localExists(localOriginal("noEntryAAAAAAAAAAAAAAAAA"))).isTrue();
    }

    /** Synapse's provider entry for our bucket and prefix "", with {@code sseKey}. */
    private Path homeserverYaml(String name, String sseKey) {
        return h.writeHomeserverYaml(tmp.resolve(name), "", sseKey);
    }
}

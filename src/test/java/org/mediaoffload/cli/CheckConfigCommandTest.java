package org.mediaoffload.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.S3Store;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.EngineTestBase;

/** check-config as an operator runs it before switching, and daemon refusing a broken configuration. */
class CheckConfigCommandTest extends EngineTestBase {
    @Test
    void passesWhenEverythingMatchesAndThenAllowsRewritingObjectsOurKeyCannotRead() throws Exception {
        harness(Db.POSTGRES);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        Path homeserver = h.writeHomeserverYaml(tmp.resolve("homeserver.yaml"), "", OffloadHarness.SSE_KEY);

        CliProcess cli = CliProcess.start(tmp, "check-config", "--config", conf.toString(), "--homeserver-config",
                homeserver.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isZero();
        assertThat(cli.stdout()).contains("[ok]   database", "[ok]   provider", "All checks passed",
                        "[ok]   bucket reachable", "Where each setting came from",
                        "offload.s3.bucket: file " + conf).doesNotContain("bucket bucket")
                .doesNotContain(OffloadHarness.SSE_KEY).doesNotContain(server.secretKey());

        // An object written without SSE-C: since check-config confirmed our key is Synapse's, it may be rewritten.
        h.addLocal("unreadableAAAAAAAAAAAAAA", bytes(500, 1), 3 * DAY_MS);
        h.putObject(localOriginal("unreadableAAAAAAAAAAAAAA"), bytes(500, 1), Optional.empty());
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.objectBytes(localOriginal("unreadableAAAAAAAAAAAAAA"))).contains(bytes(500, 1));
    }

    @Test
    void recordsWhatTheBucketProbeFoundAndRunsUseItToProveAPreCopy() throws Exception {
        harness(Db.SQLITE);
        byte[] content = bytes(2_500, 1);
        h.addLocal("preCopiedAAAAAAAAAAAAAAA", content, 3 * DAY_MS);
        // Copied by another tool with our SSE-C key, same bytes.
        h.putObject(localOriginal("preCopiedAAAAAAAAAAAAAAA"), content, Optional.of(OffloadHarness.SSE_KEY));
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        CliProcess cli = CliProcess.start(tmp, "check-config", "--config", conf.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isZero();
        assertThat(cli.stdout()).contains("the single-part ETag is the plaintext MD5 with our SSE-C key")
                .contains(server.kind() == S3Store.Kind.RGW
                        ? "a wrong checksum is accepted" // Ceph RGW 16.2 neither checks nor keeps x-amz-checksum-*
                        : "a wrong x-amz-checksum-crc64nvme is refused");
        // Without --homeserver-config check-config pins nothing, and one object is too few to sample: pinned as
        // accept-target would (the probe results are what this test is about).
        h.pinTarget();
        RunSummary summary = h.run();
        assertThat(summary.filesAlreadyInStore()).as("proven by the ETag, as the probe recorded").isEqualTo(1);
        assertThat(h.requests.count("PutObject")).isZero();
        assertThat(h.localExists(localOriginal("preCopiedAAAAAAAAAAAAAAA"))).isFalse();
    }

    /** A path one level too high: run-once refuses it at start (exit 2), so check-config must not pass it. */
    @Test
    void failsOnAMediaStorePathThatRunOnceWouldRefuse() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("aboveAAAAAAAAAAAAAAAAAAA", bytes(500, 1), 3 * DAY_MS);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        Path parent = h.mediaStore().getParent();
        Files.writeString(conf, "offload.media-store-path = \"" + parent + "\"\n", StandardOpenOption.APPEND);

        CliProcess cli = CliProcess.start(tmp, "check-config", "--config", conf.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isEqualTo(1);
        assertThat(cli.stdout()).contains("[ok]   database")
                .contains("[FAIL] media store: offload.media-store-path " + parent + " holds none of local_content")
                .contains(h.mediaStore() + " looks like a media store")
                .contains("Some checks failed");

        Files.writeString(conf, "offload.media-store-path = \"" + h.mediaStore() + "\"\n",
                StandardOpenOption.APPEND);
        CliProcess fixed = CliProcess.start(tmp, "check-config", "--config", conf.toString());
        assertThat(fixed.await()).as(fixed.stdout() + fixed.stderr()).isZero();
        assertThat(fixed.stdout()).contains("[ok]   media store: " + h.mediaStore() + " holds Synapse's media"
                + " directories");
    }

    @Test
    void failsWhenSynapseWouldNotFindWhatWeUpload() throws Exception {
        harness(Db.SQLITE);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        Path homeserver = h.writeHomeserverYaml(tmp.resolve("homeserver.yaml"), "media/",
                "another-key-0123456789abcdefABCD");

        CliProcess cli = CliProcess.start(tmp, "check-config", "--config", conf.toString(), "--homeserver-config",
                homeserver.toString());

        assertThat(cli.await()).isEqualTo(1);
        assertThat(cli.stdout()).contains("[FAIL] provider").contains("prefix").contains("sse")
                .doesNotContain("another-key-0123456789abcdefABCD").doesNotContain(OffloadHarness.SSE_KEY);
    }

    @Test
    void runOnceRefusesToStartWhenTheProviderReadsAnotherPrefix() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("keptAAAAAAAAAAAAAAAAAAAA", bytes(500, 1), 3 * DAY_MS);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        Path homeserver = h.writeHomeserverYaml(tmp.resolve("homeserver.yaml"), "media/", OffloadHarness.SSE_KEY);

        CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString(), "--homeserver-config",
                homeserver.toString());

        assertThat(cli.await()).isEqualTo(2);
        assertThat(cli.stderr()).contains("prefix");
        assertThat(cli.stderr().split("Effective configuration:", -1)).as("one heading").hasSize(2);
        assertThat(h.localExists(localOriginal("keptAAAAAAAAAAAAAAAAAAAA"))).isTrue();
    }

    @Test
    void theDaemonStopsAtStartWithExitCodeTwoOnABrokenConfiguration() throws Exception {
        Path conf = Files.writeString(tmp.resolve("bad.conf"),
                "offload { media-store-path = \"" + tmp + "\", s3.bucket = b, database.type = sqlite,"
                        + " database.sqlite-path = \"" + tmp.resolve("missing.db") + "\","
                        + " s3.sse-customer-key = too-short }\n");

        CliProcess cli = CliProcess.start(tmp, "daemon", "--config", conf.toString());

        assertThat(cli.await()).isEqualTo(2);
        assertThat(cli.stderr()).contains("offload.s3.sse-customer-key").contains("32 bytes")
                .contains("offload.database.sqlite-path").doesNotContain("too-short");
    }
}

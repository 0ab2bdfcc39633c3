package org.mediaoffload.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mediaoffload.Engine;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;

/** A media path that cannot be Synapse's media store ends run-once with exit 2 instead of "0 media, SUCCEEDED". */
class NotAMediaStoreTest extends EngineTestBase {

    @Test
    void theParentOfTheStoreExitsTwoNamingThePathAndTheStoreBelowIt() throws Exception {
        harness(Db.POSTGRES);
        h.addLocal("parentPathMediaAAAAAAAAA", bytes(1_000, 1), 3 * DAY_MS);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        String parent = tmp.toAbsolutePath().toString();
        Files.writeString(conf, Files.readString(conf).replace(
                "media-store-path = \"" + h.mediaStore() + "\"", "media-store-path = \"" + parent + "\""));
        assertThat(Files.readString(conf)).contains("media-store-path = \"" + parent + "\"");

        CliProcess cli = CliProcess.start(tmp.resolve("cli"), "run-once", "--config", conf.toString());

        assertThat(cli.await()).as(cli.stderr()).isEqualTo(2);
        assertThat(cli.stderr()).contains("offload.media-store-path " + parent + " holds none of local_content")
                .contains(h.mediaStore() + " looks like a media store");
        assertThat(h.bucketKeys()).isEmpty();
        assertThat(h.localExists(localOriginal("parentPathMediaAAAAAAAAA"))).isTrue();
    }

    @Test
    void aStoreThatVanishesUnderARunningEngineAbortsTheRunInsteadOfSucceedingWithNothing() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("vanishingMediaAAAAAAAAAA", bytes(1_000, 1), 3 * DAY_MS);
        h.deleteLocal = false;
        try (Engine engine = h.openEngine(RunListener.NONE)) {
            assertThat(engine.coordinator().runNow("test", false).status()).isEqualTo(RunStatus.SUCCEEDED);
            // As an unmounted disk leaves it: the mount point, empty.
            Files.move(h.mediaStore().resolve("local_content"), tmp.resolve("elsewhere"));

            RunSummary summary = engine.coordinator().runNow("test", false);

            assertThat(summary.status()).isEqualTo(RunStatus.ABORTED);
            assertThat(summary.errors()).anyMatch(e -> e.contains(h.mediaStore().toString())
                    && e.contains("not Synapse's media store"));
        }
    }

    @Test
    void aNewHomeserverWithoutMediaRunsOnAnEmptyStore() throws Exception {
        harness(Db.SQLITE);
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);

        CliProcess cli = CliProcess.start(tmp.resolve("cli"), "run-once", "--config", conf.toString());

        assertThat(cli.await()).as(cli.stderr()).isZero();
    }
}

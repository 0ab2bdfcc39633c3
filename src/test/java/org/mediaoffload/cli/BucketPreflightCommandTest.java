package org.mediaoffload.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;

/** run-once against a bucket that cannot be used: one message naming the setting, exit 2, nothing touched. */
class BucketPreflightCommandTest extends EngineTestBase {
    @Test
    void aMissingBucketEndsTheRunAtOnceWithExitTwoNamingTheSetting() throws Exception {
        harness(Db.SQLITE);
        for (int i = 0; i < 3; i++) {
            h.addLocal(String.format("nobucket%016d", i), bytes(500, i), 3 * DAY_MS);
        }
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        server.adminClient().deleteBucket(b -> b.bucket(h.bucket()));

        CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isEqualTo(2);
        assertThat(cli.stdout()).contains("misconfigured").contains("offload.s3.bucket").contains("NoSuchBucket")
                .contains("files failed: 0");
        for (int i = 0; i < 3; i++) {
            assertThat(h.localExists(localOriginal(String.format("nobucket%016d", i)))).isTrue();
        }
    }
}

package org.mediaoffload.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mediaoffload.Engine;
import org.mediaoffload.pipeline.FileOutcome;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.pipeline.StateDirChangedException;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * The lock or journal file deleted or replaced under a running engine (the daemon's): it notices, starts no run
 * and writes nothing more there; and a run-once beside it does not become a second process on the directory.
 */
class StateDirIdentityTest extends EngineTestBase {
    private static final int MEDIA = 30;

    @Test
    void aDeletedLockFileStopsFurtherRunsWithAClearError() throws Exception {
        addMedia();
        try (Engine engine = h.openEngine(RunListener.NONE)) {
            Files.delete(h.stateDir().resolve(StateDirLock.FILE_NAME));

            assertThatThrownBy(() -> engine.coordinator().runNow("test", false))
                    .isInstanceOf(StateDirChangedException.class)
                    .hasMessageContaining(h.stateDir().resolve(StateDirLock.FILE_NAME).toString())
                    .hasMessageContaining("was deleted")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("starts no more runs");
            assertThatThrownBy(() -> engine.coordinator().checkReady())
                    .isInstanceOf(StateDirChangedException.class);
            assertThatThrownBy(() -> engine.journal().recentRuns(5)).isInstanceOf(StateDirChangedException.class);
        }
        assertEveryFileKept();
    }

    @Test
    void aReplacedJournalFileStopsFurtherRunsInsteadOfWritingIntoTheOldOne() throws Exception {
        addMedia();
        try (Engine engine = h.openEngine(RunListener.NONE)) {
            Path journal = h.stateDir().resolve(SqliteOffloadJournal.FILE_NAME);
            Path copy = Files.copy(journal, h.stateDir().resolve("offload.db.copy"));
            Files.move(copy, journal, StandardCopyOption.REPLACE_EXISTING);

            assertThatThrownBy(() -> engine.coordinator().runNow("test", false))
                    .isInstanceOf(StateDirChangedException.class)
                    .hasMessageContaining("journal " + journal)
                    .hasMessageContaining("was replaced by another file")
                    .hasMessageContaining("nothing in the bucket or the media store is lost");
        }
        assertEveryFileKept();
    }

    @Test
    void aLockFileDeletedDuringARunAbortsIt() throws Exception {
        addMedia();
        Path lockFile = h.stateDir().resolve(StateDirLock.FILE_NAME);
        AtomicBoolean deleted = new AtomicBoolean();
        RunListener deleteAtFirstFile = new RunListener() {
            @Override
            public void fileFinished(FileOutcome outcome, long bytes) {
                if (deleted.compareAndSet(false, true)) {
                    try {
                        Files.delete(lockFile);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        };

        RunSummary summary = h.run(false, deleteAtFirstFile);

        assertThat(deleted).isTrue();
        assertThat(summary.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(summary.errors()).anySatisfy(e -> assertThat(e).contains("its lock file " + lockFile)
                .contains("was deleted"));
        assertThat(summary.filesDeleted()).as("an aborted run deletes nothing more").isZero();
        assertEveryFileKept();
    }

    @Test
    void aRunOnceBesideADaemonWhoseLockFileWasDeletedRefusesAndExitsTwo() throws Exception {
        addMedia();
        Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
        Files.writeString(conf, "offload.http.port = 0\n", StandardOpenOption.APPEND);
        Path lockFile = h.stateDir().resolve(StateDirLock.FILE_NAME);
        CliProcess daemon = CliProcess.start(tmp, "daemon", "--config", conf.toString());
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> daemon.stderr().contains("daemon started"));
            Files.delete(lockFile);

            CliProcess cli = CliProcess.start(tmp, "run-once", "--config", conf.toString());

            assertThat(cli.await()).isEqualTo(2);
            assertThat(cli.stderr()).contains("is in use by another synapse-media-offload process")
                    .contains("pid " + daemon.pid())
                    .contains("lock file that has since been deleted");
            assertThat(h.bucketKeys()).isEmpty();
            assertEveryFileKept();
        } finally {
            daemon.kill();
        }

        // Once that process is gone, its record blocks no one: the next run-once runs.
        CliProcess after = CliProcess.start(tmp, "run-once", "--config", conf.toString());
        assertThat(after.await()).as(after.stderr()).isZero();
        assertThat(h.localExists(localOriginal(mediaId(0)))).isFalse();
    }

    private void addMedia() throws Exception {
        harness(Db.SQLITE);
        for (int i = 0; i < MEDIA; i++) {
            h.addLocal(mediaId(i), bytes(1_000, i), 3 * DAY_MS);
        }
    }

    private void assertEveryFileKept() {
        for (int i = 0; i < MEDIA; i++) {
            assertThat(h.localExists(localOriginal(mediaId(i)))).as(mediaId(i)).isTrue();
        }
    }

    private static String mediaId(int i) {
        return String.format("ident%019d", i);
    }
}

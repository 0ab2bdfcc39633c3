package org.mediaoffload.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.journal.StateDirLock;
import org.mediaoffload.testing.CliProcess;
import org.mediaoffload.testing.SecondUser;

/**
 * A playbook host's first day: inputs that only root can read, and state files a run as root left behind, met by
 * a service user that is not root. Each must be reported as the ownership problem it is, with the fix.
 */
class PlaybookHostOwnershipTest {
    @TempDir
    Path tmp;

    private Path stateDir;
    private Path config;

    @BeforeEach
    void serviceUsersStateDirectory() throws Exception {
        SecondUser.require();
        SecondUser.makeTraversable(tmp);
        Path media = Files.createDirectories(tmp.resolve("media-store"));
        Path sqlite = Files.createFile(tmp.resolve("homeserver.db"));
        Files.setPosixFilePermissions(sqlite, PosixFilePermissions.fromString("rw-r--r--"));
        stateDir = Files.createDirectories(tmp.resolve("state"));
        SecondUser.chown(stateDir);
        SecondUser.chown(media);
        config = Files.writeString(tmp.resolve("offload.conf"), """
                offload {
                  media-store-path = "%s"
                  state-dir = "%s"
                  database { type = sqlite, sqlite-path = "%s" }
                  s3 { bucket = media, endpoint = "https://127.0.0.1:9", region = us-east-1 }
                }
                """.formatted(media, stateDir, sqlite));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void anEnvFileOnlyRootCanReadNamesItsOwnerModeOurUserAndTheFixes() throws Exception {
        Path env = Files.writeString(tmp.resolve("env"), "BUCKET=media\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r-----"));

        CliProcess cli = CliProcess.startAsSecondUser(tmp, "check-config", "--config", config.toString(),
                "--env-file", env.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isEqualTo(2);
        assertThat(cli.stderr()).contains("env file " + env + " (--env-file) cannot be read")
                .contains("owned by root:root, mode 0640")
                .contains("runs as nobody (uid 65534)")
                .contains("run this command as root")
                .contains("chmod g+r " + env)
                .contains("LoadCredential=")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aConfigFileOnlyRootCanReadIsExplainedTheSameWay() throws Exception {
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));

        CliProcess cli = CliProcess.startAsSecondUser(tmp, "check-config", "--config", config.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isEqualTo(2);
        assertThat(cli.stderr()).contains("config file " + config + " (--config) cannot be read")
                .contains("owned by root:root, mode 0600").contains("nobody (uid 65534)")
                .doesNotContain("Exception");
    }

    @Test
    void filesRootCreatesInTheServiceStateDirectoryBelongToTheDirectorysOwner() {
        // What check-config (or run-once) run as root does in the service's state directory.
        SqliteOffloadJournal.open(stateDir).close();
        StateDirLock.acquire(stateDir, "check-config").close();

        assertThat(SecondUser.uidOf(stateDir.resolve("offload.db"))).isEqualTo(SecondUser.UID);
        assertThat(SecondUser.uidOf(stateDir.resolve(StateDirLock.FILE_NAME))).isEqualTo(SecondUser.UID);

        // ... so the service user can open both afterwards.
        CliProcess cli = CliProcess.startAsSecondUser(tmp, "run-once", "--config", config.toString());
        cli.await();
        assertThat(cli.stderr()).doesNotContain("cannot be written").doesNotContain("offload.db");
    }

    @Test
    void aRootOwnedJournalIsReportedAsAnOwnershipProblemWithTheChown() throws Exception {
        Path journal = rootOwned("offload.db");
        SqliteOffloadJournal.open(tmp.resolve("elsewhere")).close();
        Files.move(tmp.resolve("elsewhere").resolve("offload.db"), journal,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        CliProcess cli = CliProcess.startAsSecondUser(tmp, "run-once", "--config", config.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isEqualTo(2);
        assertThat(cli.stderr()).contains("state database " + journal + " cannot be written")
                .contains("owned by root:root, mode 0644").contains("nobody (uid 65534)")
                .contains("chown -R nobody:nogroup " + stateDir)
                .doesNotContain("local, writable filesystem").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aRootOwnedLockIsReportedAsAnOwnershipProblemNotAStackTrace() throws Exception {
        Path lock = rootOwned(StateDirLock.FILE_NAME);

        CliProcess cli = CliProcess.startAsSecondUser(tmp, "daemon", "--config", config.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isEqualTo(2);
        assertThat(cli.stderr()).contains("lock file " + lock + " cannot be written")
                .contains("owned by root:root, mode 0644").contains("chown -R nobody:nogroup " + stateDir)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aStateDirectoryTheServiceCannotWriteIsNamedWithItsOwner() throws Exception {
        Files.setAttribute(stateDir, "unix:uid", 0);
        Files.setAttribute(stateDir, "unix:gid", 0);

        CliProcess cli = CliProcess.startAsSecondUser(tmp, "run-once", "--config", config.toString());

        assertThat(cli.await()).as(cli.stdout() + cli.stderr()).isEqualTo(2);
        assertThat(cli.stderr()).contains(stateDir.toString()).contains("owned by root:root, mode 0755")
                .contains("nobody (uid 65534)").contains("chown -R nobody:nogroup " + stateDir)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** A state file as an older version's check-config run as root left it. */
    private Path rootOwned(String name) throws Exception {
        Path file = stateDir.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }
}

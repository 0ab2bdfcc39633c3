package org.mediaoffload.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.RequiredTool;
import org.mediaoffload.testing.SecondUser;

/** deploy/install.sh into a temporary root, then systemd's own checker on the unit as installed. */
class SystemdUnitTest {
    private static final Path INSTALL = Path.of("deploy/install.sh");
    private static final String UNIT = "etc/systemd/system/synapse-media-offload.service";

    @TempDir
    Path root;

    @TempDir
    Path work;

    private Commands install(Path jar) throws Exception {
        return Commands.run(List.of("sh", INSTALL.toString(), "--root", root.toString(), "--no-systemctl",
                "--user", System.getProperty("user.name"), "--jar", jar.toString(), "--media-store", "/srv/media"));
    }

    @Test
    void installsIdempotentlyAndNeverOverwritesTheConfig() throws Exception {
        Path jar = Files.writeString(work.resolve("offload.jar"), "first build");
        Commands first = install(jar);
        assertThat(first.exitCode()).as(first.output()).isZero();

        Path config = root.resolve("etc/synapse-media-offload/offload.conf");
        Files.writeString(config, "offload { operator-edited = true }\n");
        Files.writeString(jar, "second build");
        Commands second = install(jar);

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("Keeping the existing");
        assertThat(config).hasContent("offload { operator-edited = true }");
        assertThat(root.resolve("opt/synapse-media-offload/synapse-media-offload.jar")).hasContent("second build");
        assertThat(root.resolve("opt/synapse-media-offload/synapse-media-offload")).as("the launcher")
                .hasSameTextualContentAs(Path.of("deploy/synapse-media-offload")).isExecutable();
        assertThat(root.resolve("opt/synapse-media-offload/run-once-compiler.json")).as("its compiler directives")
                .hasSameTextualContentAs(Path.of("deploy/run-once-compiler.json"));
        assertThat(root.resolve("opt/synapse-media-offload/run-once.classlist")).as("the start-up archive's class list")
                .hasSameTextualContentAs(Path.of("deploy/run-once.classlist"));
        assertThat(second.output()).as("no archive under --root by default: it would name the jar by this path")
                .contains("Not dumping the start-up archive");
        assertThat(root.resolve("opt/synapse-media-offload/run-once.jsa")).doesNotExist();
        assertThat(root.resolve("var/lib/synapse-media-offload")).isDirectory();
        String unit = Files.readString(root.resolve(UNIT));
        assertThat(unit).contains("User=" + System.getProperty("user.name"))
                .contains("ReadWritePaths=/srv/media /var/lib/synapse-media-offload");
        try (var files = Files.list(root.resolve("etc/systemd/system"))) {
            assertThat(files).as("no temporary files left behind").hasSize(1);
        }
    }

    @Test
    void dumpsTheStartUpArchiveForTheInstalledJarAndTheLauncherHasTheJvmMapIt() throws Exception {
        Path jar = LauncherTest.probeJar(work.resolve("probe.jar"));
        Commands result = Commands.run(List.of("sh", INSTALL.toString(), "--root", root.toString(), "--no-systemctl",
                "--user", System.getProperty("user.name"), "--jar", jar.toString(), "--archive"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        Path opt = root.resolve("opt/synapse-media-offload");
        Path archive = opt.resolve("run-once.jsa");
        assertThat(result.output()).contains("Dumped the start-up archive " + archive);
        assertThat(Files.getLastModifiedTime(archive)).as("newer than the jar, as the launcher asks")
                .isGreaterThan(Files.getLastModifiedTime(opt.resolve("synapse-media-offload.jar")));
        try (var files = Files.list(opt)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary files left behind")
                    .noneMatch(n -> n.startsWith("."));
        }

        // The installed launcher passes it and the JVM maps it (the shipped class list: the JDK's classes of a run).
        Path log = work.resolve("cds.log");
        Commands run = Commands.run(List.of("env", "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                "JAVA_OPTS=-Xlog:cds=info:file=" + log, "sh", opt.resolve("synapse-media-offload").toString(),
                "run-once"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Files.readString(log)).contains("Opened archive " + archive)
                .doesNotContain("Unable to map shared spaces");
    }

    @Test
    void anArchiveThatCannotBeDumpedIsAWarningNotAFailedInstall() throws Exception {
        Path jar = LauncherTest.probeJar(work.resolve("probe.jar"));
        Path archive = root.resolve("opt/synapse-media-offload/run-once.jsa");
        assertThat(Commands.run(List.of("sh", INSTALL.toString(), "--root", root.toString(), "--no-systemctl",
                "--user", System.getProperty("user.name"), "--jar", jar.toString(), "--archive")).exitCode()).isZero();
        assertThat(archive).exists();

        // The upgrade's JVM cannot dump (here: none at that path): the old archive, made for the old jar, goes too.
        Commands result = Commands.run(List.of("env", "JAVA=" + work.resolve("no-such-java"), "sh", INSTALL.toString(),
                "--root", root.toString(), "--no-systemctl", "--user", System.getProperty("user.name"), "--jar",
                jar.toString(), "--archive"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("warning: could not dump the start-up archive", "no-such-java")
                .contains("Installed synapse-media-offload under");
        assertThat(archive).doesNotExist();
        assertThat(archive.resolveSibling(".run-once.jsa.new")).doesNotExist();
    }

    @Test
    void aMissingRootDirectoryIsNamed() throws Exception {
        Path jar = Files.writeString(work.resolve("offload.jar"), "build");
        Path missing = root.resolve("not-there");
        Commands result = Commands.run(List.of("sh", INSTALL.toString(), "--root", missing.toString(),
                "--no-systemctl", "--user", System.getProperty("user.name"), "--jar", jar.toString()));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("--root directory '" + missing + "' does not exist", "mkdir -p");
    }

    @Test
    void aMissingDefaultUserIsExplained() throws Exception {
        assumeNoMatrixUser();
        Path jar = Files.writeString(work.resolve("offload.jar"), "build");
        Commands result = Commands.run(List.of("sh", INSTALL.toString(), "--root", root.toString(),
                "--no-systemctl", "--jar", jar.toString()));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("the default service user 'matrix'", "pass --user", "stat -c %U");
    }

    /**
     * The README's order: check-config as root (for the playbook's root-owned files) before install.sh. That run made
     * the state directory with a root-owned journal and lock, which the service user could not open ("lock file
     * cannot be written: owned by root"); the install hands them to the service user.
     */
    @Test
    void aStateDirectoryARootRunMadeBeforeTheInstallIsHandedToTheServiceUser() throws Exception {
        SecondUser.require();
        Path state = Files.createDirectories(root.resolve("var/lib/synapse-media-offload"));
        Path journal = Files.writeString(state.resolve("offload.db"), "journal");
        Path lock = Files.writeString(state.resolve("lock"), "");
        Path jar = Files.writeString(work.resolve("offload.jar"), "build");

        Commands result = Commands.run(List.of("sh", INSTALL.toString(), "--root", root.toString(), "--no-systemctl",
                "--user", SecondUser.NAME, "--group", SecondUser.GROUP, "--jar", jar.toString(),
                "--media-store", "/srv/media"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        for (Path file : List.of(state, journal, lock)) {
            assertThat(SecondUser.uidOf(file)).as(file.toString()).isEqualTo(SecondUser.UID);
        }
        assertThat(journal).hasContent("journal");
    }

    private static void assumeNoMatrixUser() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Commands.run(List.of("id", "matrix")).exitCode() != 0,
                "this host has a 'matrix' user");
    }

    @Test
    void refusesToRunSystemctlForAnotherRoot() throws Exception {
        Path jar = Files.writeString(work.resolve("offload.jar"), "build");
        Commands result = Commands.run(List.of("sh", INSTALL.toString(), "--root", root.toString(),
                "--user", System.getProperty("user.name"), "--jar", jar.toString()));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("--root needs --no-systemctl");
        assertThat(root.resolve(UNIT)).doesNotExist();
    }

    @Test
    void theInstalledUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path analyze = RequiredTool.require("/usr/bin/systemd-analyze", "systemd");
        Path jar = Files.writeString(work.resolve("offload.jar"), "build");
        assertThat(install(jar).exitCode()).isZero();

        // Verified by path against the host's systemd: with --root it would also look for sysinit.target and
        // /usr/bin/java inside the temporary root.
        Commands verify = Commands.run(List.of(analyze.toString(), "verify", "--man=no",
                root.resolve(UNIT).toString()));
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).as("no warnings either").isBlank();

        // The checker really checks: a unit whose ExecStart= does not exist fails.
        Path broken = work.resolve("broken.service");
        Files.writeString(broken, Files.readString(root.resolve(UNIT))
                .replace("ExecStart=/usr/bin/java", "ExecStart=/usr/bin/no-such-java"));
        assertThat(Commands.run(List.of(analyze.toString(), "verify", "--man=no", broken.toString())).exitCode())
                .isNotZero();
    }

    @Test
    void thePlaybookHostDropInPassesSystemdAnalyzeVerify() throws Exception {
        Path analyze = RequiredTool.require("/usr/bin/systemd-analyze", "systemd");
        Path jar = Files.writeString(work.resolve("offload.jar"), "build");
        assertThat(install(jar).exitCode()).isZero();
        Path dropIn = root.resolve(UNIT + ".d/playbook-host.conf");
        Files.createDirectories(dropIn.getParent());
        String override = Files.readString(Path.of("deploy/playbook-host.override.conf"));
        Files.writeString(dropIn, override);

        Commands verify = Commands.run(List.of(analyze.toString(), "verify", "--man=no", root.resolve(UNIT).toString()));
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).isBlank();

        // The drop-in is really read: a broken ExecStart= in it fails the check.
        Files.writeString(dropIn, override.replace("ExecStart=/usr/bin/java", "ExecStart=/usr/bin/no-such-java"));
        assertThat(Commands.run(List.of(analyze.toString(), "verify", "--man=no", root.resolve(UNIT).toString()))
                .exitCode()).isNotZero();
    }

    @Test
    void thePlaybookHostDropInReadsTheRootOwnedFilesAsCredentials() throws Exception {
        String dropIn = Files.readString(Path.of("deploy/playbook-host.override.conf"));

        assertThat(dropIn.lines()).contains("LoadCredential=env:/matrix/synapse/ext/s3-storage-provider/env",
                "LoadCredential=database.yaml:/matrix/synapse/ext/s3-storage-provider/data/database.yaml");
        String execStart = dropIn.lines().filter(l -> l.startsWith("ExecStart=/")).findFirst().orElseThrow();
        assertThat(execStart).contains("--env-file ${CREDENTIALS_DIRECTORY}/env",
                "--database-yaml ${CREDENTIALS_DIRECTORY}/database.yaml")
                .doesNotContain("/matrix/synapse/ext/");
    }

    @Test
    void theUnitHasTheRequiredSettings() throws Exception {
        String unit = Files.readString(Path.of("systemd/synapse-media-offload.service"));

        assertThat(unit.lines()).contains("Type=exec", "Restart=on-failure", "RestartPreventExitStatus=2",
                "Nice=10", "IOSchedulingClass=idle", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "StateDirectory=synapse-media-offload",
                "ExecStart=/usr/bin/java $JAVA_OPTS -jar /opt/synapse-media-offload/synapse-media-offload.jar"
                        + " daemon --config /etc/synapse-media-offload/offload.conf");
        assertThat(unit).containsPattern("(?m)^#LoadCredential=").containsPattern("(?m)^ReadWritePaths=.+");
        int stopTimeout = Integer.parseInt(unit.lines().filter(l -> l.startsWith("TimeoutStopSec="))
                .findFirst().orElseThrow().substring("TimeoutStopSec=".length()));
        assertThat(stopTimeout).as("longer than the default offload.shutdown-grace of 30 s").isGreaterThan(30);
    }
}

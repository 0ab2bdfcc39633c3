package org.mediaoffload.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/synapse-media-offload, run with a stand-in for java that prints the arguments it was given (one per line)
 * and exits with a code of our choosing: the launcher's options, their order and its exit code as a caller sees it.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("deploy/synapse-media-offload");

    @TempDir
    Path work;

    private Path java;
    private Path jar;

    @BeforeEach
    void fakeJava() throws Exception {
        java = work.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"arg:$a\"; done\nexit ${FAKE_EXIT:-0}\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.writeString(work.resolve("offload.jar"), "a jar");
    }

    private Commands launch(List<String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "JAVA=" + java, "SYNAPSE_MEDIA_OFFLOAD_JAR=" + jar));
        command.addAll(env);
        command.add("sh");
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        return Commands.run(command);
    }

    private static List<String> args(Commands result) {
        return result.output().lines().filter(l -> l.startsWith("arg:")).map(l -> l.substring(4)).toList();
    }

    @Test
    void runOnceGetsTheMeasuredOptionsBeforeTheJar() throws Exception {
        Commands result = launch(List.of(), "run-once", "--config", "/etc/x/offload conf", "--json");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(args(result)).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                jar.toString(), "run-once", "--config", "/etc/x/offload conf", "--json");
    }

    @Test
    void javaOptsComeAfterOursSoTheyWin() throws Exception {
        Commands result = launch(List.of("JAVA_OPTS=-XX:TieredStopAtLevel=4 -Xmx256m"), "run-once");

        assertThat(args(result)).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=4", "-Xmx256m", "-jar", jar.toString(), "run-once");
    }

    @Test
    void otherCommandsGetOnlyJavaOpts() throws Exception {
        Commands result = launch(List.of("JAVA_OPTS=-Xmx128m"), "audit", "--json");

        assertThat(args(result)).containsExactly("-Xmx128m", "-jar", jar.toString(), "audit", "--json");
    }

    @Test
    void theExitCodeIsTheJvmsOwn() throws Exception {
        // run-once's exit codes (1: some files failed, 2: configuration) must reach the caller unchanged.
        assertThat(launch(List.of("FAKE_EXIT=2"), "run-once").exitCode()).isEqualTo(2);
        assertThat(launch(List.of("FAKE_EXIT=1"), "run-once").exitCode()).isEqualTo(1);
    }

    @Test
    void findsTheJarInstalledNextToIt() throws Exception {
        Path opt = Files.createDirectories(work.resolve("opt"));
        Files.copy(LAUNCHER, opt.resolve("synapse-media-offload"));
        Path installed = Files.writeString(opt.resolve("synapse-media-offload.jar"), "installed jar");

        Commands result = Commands.run(List.of("env", "JAVA=" + java, "sh",
                opt.resolve("synapse-media-offload").toString(), "check-config"));

        assertThat(args(result)).containsExactly("-jar", installed.toString(), "check-config");
    }

    @Test
    void aMissingJarIsNamed() throws Exception {
        Path missing = work.resolve("no-such.jar");
        Commands result = Commands.run(List.of("env", "JAVA=" + java, "SYNAPSE_MEDIA_OFFLOAD_JAR=" + missing, "sh",
                LAUNCHER.toString(), "run-once"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("jar not found: " + missing, "SYNAPSE_MEDIA_OFFLOAD_JAR");
    }
}

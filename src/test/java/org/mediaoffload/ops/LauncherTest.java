package org.mediaoffload.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/synapse-media-offload, run with a stand-in for java that prints the arguments it was given (one per line)
 * and exits with a code of our choosing: the launcher's options, their order and its exit code as a caller sees it.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("deploy/synapse-media-offload");
    private static final Path DIRECTIVES = Path.of("deploy/run-once-compiler.json");
    /** What every run-once gets first: SerialGC, and the JVM's own messages on standard error. */
    private static final List<String> OURS = List.of("-XX:+UseSerialGC", "-XX:+DisplayVMOutputToStderr",
            "-Xlog:disable", "-Xlog:all=warning:stderr");

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

    private static List<String> concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }

    /** A jar of LauncherProbe alone, its main class in the manifest. */
    private Path probeJar() throws Exception {
        Path probe = work.resolve("probe.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(probe), manifest);
                InputStream in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return probe;
    }

    private static List<String> args(Commands result) {
        return result.output().lines().filter(l -> l.startsWith("arg:")).map(l -> l.substring(4)).toList();
    }

    @Test
    void runOnceGetsTheMeasuredOptionsBeforeTheJar() throws Exception {
        Commands result = launch(List.of(), "run-once", "--config", "/etc/x/offload conf", "--json");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(args(result)).containsExactlyElementsOf(concat(OURS, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + DIRECTIVES.toAbsolutePath(), "-jar", jar.toString(), "run-once",
                "--config", "/etc/x/offload conf", "--json"));
    }

    @Test
    void javaOptsComeAfterOursSoTheyWin() throws Exception {
        Commands result = launch(List.of("JAVA_OPTS=-Xmx256m -Dx=y"), "run-once");

        assertThat(args(result)).containsExactlyElementsOf(concat(OURS, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + DIRECTIVES.toAbsolutePath(), "-Xmx256m", "-Dx=y", "-jar",
                jar.toString(), "run-once"));
    }

    @Test
    void javaOptsThatChooseTheCompilersReplaceOurDirectives() throws Exception {
        // -XX:TieredStopAtLevel=4 is the README's way back to the JVM's defaults: C2 for every method, not only
        // for the crypto providers our directives leave to it.
        Commands result = launch(List.of("JAVA_OPTS=-XX:TieredStopAtLevel=4 -Xmx256m"), "run-once");

        assertThat(args(result)).containsExactlyElementsOf(concat(OURS, "-XX:TieredStopAtLevel=4", "-Xmx256m", "-jar",
                jar.toString(), "run-once"));
    }

    @Test
    void withoutItsDirectivesFileRunOnceGetsC1Only() throws Exception {
        Path opt = Files.createDirectories(work.resolve("bare"));
        Files.copy(LAUNCHER, opt.resolve("synapse-media-offload"));

        Commands result = Commands.run(List.of("env", "JAVA=" + java, "SYNAPSE_MEDIA_OFFLOAD_JAR=" + jar, "sh",
                opt.resolve("synapse-media-offload").toString(), "run-once"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(args(result)).containsExactlyElementsOf(concat(OURS, "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "run-once"));
    }

    @Test
    void aRealJvmTakesTheDirectivesAndPrintsNothingOfItsOwnOnStandardOutput() throws Exception {
        // The shipped directives file must parse (a JVM refuses to start on a bad one) and the JVM's "2 compiler
        // directives added" must not reach standard output, where run-once --json is parsed.
        Path probeJar = probeJar();
        Path stderr = work.resolve("stderr.txt");
        Process process = new ProcessBuilder("env", "SYNAPSE_MEDIA_OFFLOAD_JAR=" + probeJar,
                "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"), "sh", LAUNCHER.toString(),
                "run-once", "--json").redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
        assertThat(stdout).isEqualTo("probe run-once --json\n");
        assertThat(Files.readString(stderr)).contains("compiler directives added");
    }

    @Test
    void auditGetsRunOncesOptions() throws Exception {
        // An audit is a fresh JVM doing one pass too: the C2 compiler's warm-up was a third of its client CPU.
        Commands result = launch(List.of("JAVA_OPTS=-Xmx128m"), "audit", "--json");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(args(result)).containsExactlyElementsOf(concat(OURS, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + DIRECTIVES.toAbsolutePath(), "-Xmx128m", "-jar", jar.toString(),
                "audit", "--json"));
    }

    @Test
    void auditWithJavaOptsThatChooseTheCompilersGetsThoseAlone() throws Exception {
        Commands result = launch(List.of("JAVA_OPTS=-XX:TieredStopAtLevel=4"), "audit");

        assertThat(args(result)).containsExactlyElementsOf(concat(OURS, "-XX:TieredStopAtLevel=4", "-jar",
                jar.toString(), "audit"));
    }

    @Test
    void otherCommandsGetOnlyJavaOpts() throws Exception {
        Commands result = launch(List.of("JAVA_OPTS=-Xmx128m"), "check-config", "--config", "x.conf");

        assertThat(args(result)).containsExactly("-Xmx128m", "-jar", jar.toString(), "check-config", "--config",
                "x.conf");
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

package org.mediaoffload.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
        return probeJar(work.resolve("probe.jar"));
    }

    static Path probeJar(Path probe) throws Exception {
        return probeJar(probe, "");
    }

    /** The probe jar with a resource of that text too (another build of it: another size), unless it is empty. */
    static Path probeJar(Path probe, String resource) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(probe), manifest);
                InputStream in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
            if (!resource.isEmpty()) {
                out.putNextEntry(new JarEntry("build.txt"));
                out.write(resource.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
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

    // --- The start-up archive (run-once.jsa) install.sh dumps next to the launcher ---------------------------------

    /** The launcher, its directives and a jar as install.sh lays them out in opt/synapse-media-offload. */
    private Path installed(String name) throws Exception {
        Path opt = Files.createDirectories(work.resolve(name).resolve("opt/synapse-media-offload"));
        Files.copy(LAUNCHER, opt.resolve("synapse-media-offload"));
        Files.copy(DIRECTIVES, opt.resolve("run-once-compiler.json"));
        Files.writeString(opt.resolve("synapse-media-offload.jar"), "installed jar");
        return opt;
    }

    private static void setModified(Path file, Instant when) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(when));
    }

    private Commands launchInstalled(Path opt, Path javaToRun, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "JAVA=" + javaToRun, "sh",
                opt.resolve("synapse-media-offload").toString()));
        command.addAll(List.of(args));
        return Commands.run(command);
    }

    private static List<String> withArchive(Path opt, String... command) {
        List<String> expected = concat(OURS, "-XX:SharedArchiveFile=" + opt.resolve("run-once.jsa"),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + opt.resolve("run-once-compiler.json"),
                "-jar", opt.resolve("synapse-media-offload.jar").toString());
        expected.addAll(List.of(command));
        return expected;
    }

    /** An installed launcher and jar with a (fake) archive made an hour after the jar, as install.sh leaves them. */
    private Path installedWithArchiveNewerThanJar(String name) throws Exception {
        Path opt = installed(name);
        Instant now = Instant.now();
        setModified(opt.resolve("synapse-media-offload.jar"), now.minus(2, ChronoUnit.HOURS));
        setModified(Files.writeString(opt.resolve("run-once.jsa"), "an archive"), now.minus(1, ChronoUnit.HOURS));
        return opt;
    }

    @Test
    void anArchiveNewerThanTheJarGoesToRunOnceAndAuditOnly() throws Exception {
        Path opt = installedWithArchiveNewerThanJar("fresh");

        assertThat(args(launchInstalled(opt, java, "run-once", "--json"))).containsExactlyElementsOf(
                withArchive(opt, "run-once", "--json"));
        assertThat(args(launchInstalled(opt, java, "audit"))).containsExactlyElementsOf(withArchive(opt, "audit"));
        assertThat(args(launchInstalled(opt, java, "check-config"))).containsExactly("-jar",
                opt.resolve("synapse-media-offload.jar").toString(), "check-config");
    }

    @Test
    void anArchiveOlderThanTheJarIsLeftOut() throws Exception {
        // A jar replaced without install.sh: the archive is the old jar's, which the JVM would refuse, and with it
        // the JDK's own default archive too.
        Path opt = installed("replaced-jar");
        Instant now = Instant.now();
        setModified(Files.writeString(opt.resolve("run-once.jsa"), "an archive"), now.minus(2, ChronoUnit.HOURS));
        setModified(opt.resolve("synapse-media-offload.jar"), now.minus(1, ChronoUnit.HOURS));

        Commands result = launchInstalled(opt, java, "run-once");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(args(result)).doesNotContain("-XX:SharedArchiveFile=" + opt.resolve("run-once.jsa"))
                .endsWith("-jar", opt.resolve("synapse-media-offload.jar").toString(), "run-once");
    }

    @Test
    void anArchiveOlderThanTheJvmsLastInstallIsLeftOut() throws Exception {
        // A JVM upgraded after install.sh (a package upgrade rewrites libjvm.so: a new ctime): the archive is the
        // old JVM build's. A JDK laid out as bin/java and lib/server/libjvm.so, the library installed just now.
        Path jdk = work.resolve("jdk");
        Path jdkJava = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.copy(java, jdkJava);
        Files.writeString(Files.createDirectories(jdk.resolve("lib/server")).resolve("libjvm.so"), "a JVM");
        Path opt = installed("upgraded-jvm");
        Instant now = Instant.now();
        setModified(opt.resolve("synapse-media-offload.jar"), now.minus(2, ChronoUnit.HOURS));
        Path archive = Files.writeString(opt.resolve("run-once.jsa"), "an archive");
        setModified(archive, now.minus(1, ChronoUnit.HOURS));

        assertThat(args(launchInstalled(opt, jdkJava, "run-once"))).doesNotContain(
                "-XX:SharedArchiveFile=" + archive);

        // The same archive made after the JVM's install is passed: the library's age is what left it out.
        setModified(archive, now.plus(1, ChronoUnit.HOURS));
        assertThat(args(launchInstalled(opt, jdkJava, "run-once"))).containsExactlyElementsOf(
                withArchive(opt, "run-once"));
    }

    @Test
    void javaOptsThatChooseTheArchiveOrAnotherJarGetNoneOfOurs() throws Exception {
        Path opt = installedWithArchiveNewerThanJar("opts");
        String ours = "-XX:SharedArchiveFile=" + opt.resolve("run-once.jsa");

        for (String opts : List.of("-Xshare:off", "-XX:SharedArchiveFile=/x.jsa", "-XX:DumpLoadedClassList=/x.lst")) {
            Commands result = Commands.run(List.of("env", "JAVA=" + java, "JAVA_OPTS=" + opts, "sh",
                    opt.resolve("synapse-media-offload").toString(), "run-once"));
            assertThat(args(result)).as(opts).doesNotContain(ours).contains(opts);
        }
        // The archive names the installed jar: another one (SYNAPSE_MEDIA_OFFLOAD_JAR) would make the JVM refuse it.
        Commands other = Commands.run(List.of("env", "JAVA=" + java, "SYNAPSE_MEDIA_OFFLOAD_JAR=" + jar, "sh",
                opt.resolve("synapse-media-offload").toString(), "run-once"));
        assertThat(args(other)).doesNotContain(ours).endsWith("-jar", jar.toString(), "run-once");
    }

    /**
     * opt/synapse-media-offload with the probe jar as the installed jar and a real archive of the JDK's classes and
     * LauncherProbe, dumped as install.sh dumps it (a class list of LauncherProbe alone: quick to dump).
     */
    private Path installedWithRealArchive(String name) throws Exception {
        Path opt = installed(name);
        Path installedJar = probeJar(opt.resolve("synapse-media-offload.jar"));
        setModified(installedJar, Instant.now().minus(1, ChronoUnit.HOURS));
        Path list = Files.writeString(work.resolve(name + ".classlist"),
                LauncherProbe.class.getName().replace('.', '/') + "\n");
        Commands dump = Commands.run(List.of(realJava().toString(), "-Xshare:dump",
                "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + opt.resolve("run-once.jsa"), "-cp",
                installedJar.toString()));
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        return opt;
    }

    private static Path realJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The installed launcher on the real JVM, the JVM's class and CDS logging in a file: stdout, stderr, the log. */
    private record RealRun(int exitCode, String stdout, String stderr, String jvmLog) {
    }

    private RealRun runInstalled(Path opt, String... args) throws Exception {
        return runInstalledLogging(opt, "class+load=info,cds=info", args);
    }

    private RealRun runInstalledLogging(Path opt, String logged, String... args) throws Exception {
        Path log = work.resolve("jvm-" + System.nanoTime() + ".log");
        Path stderr = work.resolve("stderr-" + System.nanoTime() + ".txt");
        List<String> command = new ArrayList<>(List.of("env", "JAVA=" + realJava(),
                "JAVA_OPTS=-Xlog:" + logged + ":file=" + log, "sh",
                opt.resolve("synapse-media-offload").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new RealRun(process.exitValue(), stdout, Files.readString(stderr),
                Files.exists(log) ? Files.readString(log) : "");
    }

    @Test
    void aRealJvmMapsTheInstalledArchive() throws Exception {
        Path opt = installedWithRealArchive("real");

        RealRun run = runInstalled(opt, "run-once", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("probe run-once --json\n");
        // An application class can come from a shared objects file only through our archive.
        assertThat(run.jvmLog()).contains("Opened archive " + opt.resolve("run-once.jsa"))
                .contains(LauncherProbe.class.getName() + " source: shared objects file");
    }

    @Test
    void anArchiveTheJvmRefusesLeavesStandardOutputCleanAndTheCommandRuns() throws Exception {
        // The jar rebuilt but with an mtime older than the archive (copied with cp -p, say): the launcher passes the
        // archive, the JVM sees another size and runs without it.
        Path opt = installedWithRealArchive("stale");
        Path installedJar = opt.resolve("synapse-media-offload.jar");
        probeJar(installedJar, "another build");
        setModified(installedJar, Instant.now().minus(1, ChronoUnit.HOURS));

        RealRun run = runInstalled(opt, "audit", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("probe audit --json\n");
        assertThat(run.jvmLog()).contains("A jar file is not the one used while building the shared archive file")
                .doesNotContain(LauncherProbe.class.getName() + " source: shared objects file");
    }

    @Test
    void anArchiveOfAnotherJvmBuildLeavesStandardOutputCleanAndTheCommandRuns() throws Exception {
        // What a JVM upgrade the launcher cannot see (libjvm.so elsewhere) leaves: the archive header names another
        // build of HotSpot. And an archive that is no archive at all.
        Path opt = installedWithRealArchive("other-jvm");
        Path archive = opt.resolve("run-once.jsa");
        byte[] bytes = Files.readAllBytes(archive);
        byte[] version = System.getProperty("java.vm.version").getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, version);
        assertThat(at).as("the JVM's version in the archive header").isPositive();
        bytes[at] = (byte) (bytes[at] == '9' ? '8' : bytes[at] + 1);
        Files.write(archive, bytes);

        RealRun run = runInstalled(opt, "run-once", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("probe run-once --json\n");
        assertThat(run.jvmLog()).contains("created by a different version or build of HotSpot");

        // Not with -Xlog:cds=info: JDK 17.0.15 crashes (SIGSEGV) logging the header of a file that is no archive,
        // which the launcher's own options (warnings only) never ask for.
        Files.writeString(archive, "not an archive");
        RealRun garbage = runInstalledLogging(opt, "class+load=info", "run-once", "--json");
        assertThat(garbage.exitCode()).as(garbage.stderr()).isZero();
        assertThat(garbage.stdout()).isEqualTo("probe run-once --json\n");
        assertThat(garbage.jvmLog()).contains(LauncherProbe.class.getName() + " source: ")
                .doesNotContain("shared objects file");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void theShippedClassListNamesOnlyClassesThatExist() throws Exception {
        // A class renamed or dropped would only be skipped at dump time ("Preload Warning: Cannot find"), so the
        // archive would rot silently. Our own classes and our dependencies' must all be on this classpath; the JDK's
        // are left to the JDK (another 17+ may differ).
        List<String> names = Files.readAllLines(Path.of("deploy/run-once.classlist")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("@"))
                .map(l -> l.split(" ", 2)[0]).toList();
        List<String> ours = names.stream().filter(n -> n.startsWith("org/mediaoffload/")).toList();
        List<String> dependencies = names.stream().filter(n -> !n.startsWith("org/mediaoffload/")
                && !n.matches("(java|javax|jdk|sun|com/sun)/.*")).toList();

        assertThat(ours).as("a run-once's classes of ours").hasSizeGreaterThan(100);
        assertThat(dependencies).as("the AWS SDK's and other libraries' classes").hasSizeGreaterThan(1000);
        ClassLoader loader = getClass().getClassLoader();
        assertThat(ours).filteredOn(n -> loader.getResource(n + ".class") == null).as("missing classes of ours")
                .isEmpty();
        assertThat(dependencies).filteredOn(n -> loader.getResource(n + ".class") == null)
                .as("missing classes of our dependencies").isEmpty();
    }
}

package org.mediaoffload.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real command line in a child JVM, for exit codes, locks and kill -9: on the tests' classpath, or a built jar
 * run with {@code java -jar} as a user runs it.
 */
public final class CliProcess {
    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static CliProcess start(Path workDir, String... args) {
        return start(List.of(), List.of(), mainClass(System.getProperty("java.class.path")), workDir, args);
    }

    /** {@code java -jar jar args...}. */
    public static CliProcess startJar(Path workDir, Path jar, String... args) {
        return startJar(List.of(), workDir, jar, args);
    }

    /** {@code java jvmOptions... -jar jar args...}. */
    public static CliProcess startJar(List<String> jvmOptions, Path workDir, Path jar, String... args) {
        return start(List.of(), jvmOptions, List.of("-jar", jar.toString()), workDir, args);
    }

    /** The same, run as {@link SecondUser} (call {@link SecondUser#require()} first). */
    public static CliProcess startAsSecondUser(Path workDir, String... args) {
        return start(SecondUser.prefix(), List.of("-Djava.io.tmpdir=" + SecondUser.tmpDir(workDir)),
                mainClass(SecondUser.classpath()), workDir, args);
    }

    private static List<String> mainClass(String classpath) {
        return List.of("-cp", classpath, "org.mediaoffload.Main");
    }

    private static CliProcess start(List<String> prefix, List<String> jvmOptions, List<String> what, Path workDir,
            String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.addAll(what);
        command.addAll(List.of(args));
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
            return new CliProcess(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end (at most 3 minutes) and returns the exit code. */
    public int await() {
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("command did not finish in 3 minutes: " + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no cleanup, as a crash or the OOM killer would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

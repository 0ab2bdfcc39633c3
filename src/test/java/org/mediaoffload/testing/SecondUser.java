package org.mediaoffload.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Another OS user for the ownership cases (a root-owned input, a service user that is not root): {@code nobody},
 * which every Debian system has, reached with {@code setpriv}. Needs root; without it the test is skipped with
 * the reason, and fails in CI (which runs the tests as root).
 */
public final class SecondUser {
    public static final String NAME = "nobody";
    public static final String GROUP = "nogroup";
    public static final int UID = 65534;
    public static final int GID = 65534;

    private static Path readableClasspath;

    private SecondUser() {}

    /** Aborts (or fails in CI) unless this JVM is root and setpriv exists. */
    public static void require() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw TestRequirements.missing("the ownership tests run a child process as another user, which needs"
                    + " root (CI runs the tests as root)");
        }
        RequiredTool.require("/usr/bin/setpriv", "util-linux");
    }

    /** The command prefix that runs what follows as {@link #NAME}. */
    static List<String> prefix() {
        return List.of("/usr/bin/setpriv", "--reuid=" + UID, "--regid=" + GID, "--clear-groups", "--");
    }

    /** Makes {@code dir} and its ancestors enterable by anyone, as /var/lib and /matrix are on a host. */
    public static void makeTraversable(Path dir) {
        try {
            for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
                if (d.startsWith(Path.of(System.getProperty("java.io.tmpdir"))) && Files.isDirectory(d)) {
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A temporary directory of the user's own below {@code workDir} (SQLite unpacks its native library there). */
    static Path tmpDir(Path workDir) {
        try {
            Path dir = Files.createDirectories(workDir.resolve("second-user-tmp"));
            chown(dir);
            makeTraversable(workDir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void chown(Path file) {
        try {
            Files.setAttribute(file, "unix:uid", UID);
            Files.setAttribute(file, "unix:gid", GID);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int uidOf(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test classpath, copied where the other user can read it (Maven's repository under /root is not), once
     * per test JVM and removed when it exits.
     */
    public static String readableClasspath() {
        return classpath();
    }

    static synchronized String classpath() {
        if (readableClasspath == null) {
            readableClasspath = copyClasspath();
        }
        List<String> entries = new ArrayList<>();
        try (Stream<Path> s = Files.list(readableClasspath)) {
            s.sorted().forEach(p -> entries.add(p.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Path copyClasspath() {
        try {
            Path dir = Files.createTempDirectory("second-user-classpath");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path source = Path.of(entry);
                Path target = dir.resolve(String.format("%04d-%s", i++, source.getFileName()));
                if (Files.isDirectory(source)) {
                    copyTree(source, target);
                } else if (Files.isRegularFile(source)) {
                    linkOrCopy(source, target);
                }
            }
            makeTraversable(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /* A hard link when the jar is already world-readable (only its directory is not): no copying. */
    private static void linkOrCopy(Path source, Path target) throws IOException {
        if (Files.getPosixFilePermissions(source).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
            try {
                Files.createLink(target, source);
                return;
            } catch (IOException | UnsupportedOperationException e) {
                // another filesystem: copy
            }
        }
        Files.copy(source, target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}

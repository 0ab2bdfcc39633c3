package org.mediaoffload.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ceph RADOS Gateway 16.2 from Debian's packages, as a throwaway single-node cluster that
 * {@code src/test/ceph/rgw.sh} builds in a temp directory: HTTPS on a free loopback port with a self-signed
 * certificate ({@link #caBundlePath()}, for our {@code ca-bundle} setting), STANDARD_IA in the zone's placement, one
 * S3 user, SSE-C (RGW's default: over HTTPS only; {@link #httpEndpoint()} is the plain port that refuses it).
 *
 * <p>One cluster per test JVM: a cold start takes ~20 s, so {@link #shared()} starts it on first use and a shutdown
 * hook stops its daemons by PID and removes the directory; should the JVM be killed instead, the script's watcher
 * does the same (with {@value #KEEP_DIR_ENV} set, that directory's cluster is used and kept). Tests make their own
 * buckets. Without the packages, {@link #shared()} skips the test with what to
 * install (fails it with {@code CI=true}).
 */
public final class RgwServer implements S3TestServer {
    /** The Debian packages the cluster needs (ceph-common brings the {@code ceph} CLI and python3). */
    public static final String PACKAGES = "ceph-mon ceph-osd radosgw ceph-common";
    private static final List<String> COMMANDS = List.of("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph",
            "ceph-authtool", "monmaptool", "openssl", "python3", "setsid");
    private static final long START_TIMEOUT_SECONDS = 240;
    private static final int MISSING_EXIT_CODE = 3;
    /**
     * A directory whose cluster outlives the JVM, for quick runs while developing: started there if stopped (~6 s),
     * used as is if running; stop it with {@code src/test/ceph/rgw.sh stop DIR}.
     */
    static final String KEEP_DIR_ENV = "OFFLOAD_TEST_RGW_DIR";

    private static RgwServer shared;
    private static RuntimeException startFailure;

    private final Path dir;
    private final URI endpoint;
    private final URI httpEndpoint;
    private final Access access;
    private final List<Long> pids;
    private final long startMillis;
    private final S3Client adminClient;

    private RgwServer(Path dir, Properties info) {
        this.dir = dir;
        this.endpoint = URI.create(info.getProperty("endpoint"));
        this.httpEndpoint = URI.create(info.getProperty("httpEndpoint"));
        this.access = new Access(info.getProperty("accessKey"), info.getProperty("secretKey"),
                Path.of(info.getProperty("caBundle")));
        this.pids = Stream.of("monPid", "osdPid", "rgwPid").map(k -> Long.parseLong(info.getProperty(k))).toList();
        this.startMillis = Long.parseLong(info.getProperty("startMillis"));
        this.adminClient = S3TestServer.newAdminClient(this);
    }

    /**
     * The JVM's cluster, started on the first call. Skips the calling test (fails it with {@code CI=true}) when the
     * packages are missing; a cluster that fails to start fails every test that asks for it, with the script's log.
     */
    public static synchronized RgwServer shared() {
        if (shared != null) {
            return shared;
        }
        if (startFailure != null) {
            throw startFailure;
        }
        List<String> missing = COMMANDS.stream().filter(c -> !onPath(c)).toList();
        if (!missing.isEmpty()) {
            throw TestRequirements.missing("Ceph RGW tests need " + String.join(", ", missing)
                    + ": apt-get install -y --no-install-recommends " + PACKAGES + " openssl");
        }
        try {
            shared = start();
            return shared;
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
    }

    private static RgwServer start() {
        Path script = script();
        Optional<Path> kept = Optional.ofNullable(System.getenv(KEEP_DIR_ENV)).filter(v -> !v.isBlank()).map(Path::of);
        Path dir;
        try {
            dir = kept.isPresent() ? kept.get() : Files.createTempDirectory("offload-rgw-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = dir.resolve("start.log");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "start", dir.toString())
                .redirectErrorStream(true);
        if (kept.isEmpty()) {
            builder.environment().put("RGW_WATCH_PID", Long.toString(ProcessHandle.current().pid()));
            builder.environment().put("RGW_WATCH_CLEANUP", "1");
            // Stop by PID and remove the directory whatever happens next, also when the start below times out.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(script, dir), "rgw-stop"));
        }
        try {
            Files.createDirectories(dir);
            Process process = builder.redirectOutput(log.toFile()).start();
            if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Ceph RGW did not start within " + START_TIMEOUT_SECONDS + " s: "
                        + tail(log));
            }
            if (process.exitValue() == MISSING_EXIT_CODE) {
                throw TestRequirements.missing(tail(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Ceph RGW failed to start (" + script + " exited "
                        + process.exitValue() + "): " + tail(log));
            }
            Properties info = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve("rgw.properties"))) {
                info.load(in);
            }
            return new RgwServer(dir, info);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Ceph RGW", e);
        }
    }

    /** The script in this checkout; Maven runs tests in the project directory. */
    static Path script() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path script = base.resolve("src/test/ceph/rgw.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " not found: run the tests from the project directory");
        }
        return script;
    }

    private static void stop(Path script, Path dir) {
        try {
            Process stop = new ProcessBuilder("bash", script.toString(), "stop", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            stop.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Nothing more to do at JVM exit; the watcher stops the daemons once this JVM is gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at JVM exit
        }
    }

    private static boolean onPath(String command) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String entry : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, command))) {
                return true;
            }
        }
        // Debian puts the daemons in /usr/bin, the admin tools partly in /usr/sbin, which a non-login PATH may lack.
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public S3Store.Kind kind() {
        return S3Store.Kind.RGW;
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    /** {@code http://127.0.0.1:<port>}: the same gateway without TLS, where it refuses SSE-C keys. */
    public URI httpEndpoint() {
        return httpEndpoint;
    }

    @Override
    public Access access() {
        return access;
    }

    /** The cluster's directory (logs under {@code log/}). */
    public Path directory() {
        return dir;
    }

    /** PIDs of the monitor, the OSD and the gateway, for their CPU and memory. */
    public List<Long> pids() {
        return pids;
    }

    /** How long the script took to bring the cluster up. */
    public long startMillis() {
        return startMillis;
    }

    @Override
    public S3Client adminClient() {
        return adminClient;
    }

    /** Nothing: the cluster is the JVM's, stopped at JVM exit. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "Ceph RGW at " + endpoint;
    }
}

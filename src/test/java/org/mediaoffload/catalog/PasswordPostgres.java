package org.mediaoffload.catalog;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mediaoffload.testing.TestRequirements;

/**
 * A private PostgreSQL cluster that demands SCRAM passwords (the machine's service trusts everyone, so a wrong
 * password could not be observed there). Built from the machine's PostgreSQL binaries, run as user postgres.
 */
// close() may be interrupted while pg_ctl stops the cluster; it is called from @AfterAll, never by a
// try-with-resources that could swallow the InterruptedException.
@SuppressWarnings("try")
final class PasswordPostgres implements AutoCloseable {

    static final String PASSWORD = "scram-only-pw-7f3a";

    private final Path dir;
    private final Path pgCtl;
    private final int port;

    private PasswordPostgres(Path dir, Path pgCtl, int port) {
        this.dir = dir;
        this.pgCtl = pgCtl;
        this.port = port;
    }

    static PasswordPostgres start() throws IOException, InterruptedException {
        Path bin = binDir().orElseThrow(() -> TestRequirements.missing("no PostgreSQL binaries under /usr/lib/postgresql"));
        if (!"root".equals(System.getProperty("user.name"))) {
            throw TestRequirements.missing("starting a private PostgreSQL as user postgres needs root");
        }
        Path dir = Files.createTempDirectory("offload-scram-pg");
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
        Path pwFile = Files.writeString(dir.resolve("pw"), PASSWORD + "\n", StandardCharsets.UTF_8);
        Files.setOwner(pwFile, postgres);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                "--auth=scram-sha-256", "--pwfile=" + pwFile, "-E", "UTF8", "--locale=C", "--no-sync");
        PasswordPostgres server = new PasswordPostgres(dir, bin.resolve("pg_ctl"), port);
        run(server.pgCtl.toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return server;
    }

    int port() {
        return port;
    }

    /** The directory holding the server's Unix socket. */
    Path socketDir() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Optional<Path> binDir() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())));
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }
}

package org.mediaoffload.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.mediaoffload.cli.StopSignals;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo jar's entry point ({@code java -jar synapse-media-offload-demo.jar}). It lives apart from the production
 * CLI because it needs an S3 server, which the production jar deliberately does not carry; the demo jar also
 * holds the production commands ({@code java -cp synapse-media-offload-demo.jar org.mediaoffload.Main ...}).
 */
@Command(name = "synapse-media-offload-demo", mixinStandardHelpOptions = true,
        description = "Run the daemon against a sample Synapse media store (SQLite + files) and an in-process S3"
                + " endpoint, with the status page, metrics and a run every minute. Stop with Ctrl+C.")
public final class DemoMain implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8457", description = "Status page / admin API port (0 = any free one).")
    int port;

    @Option(names = "--dir", description = "Where to put the sample store (default: a new temporary directory).")
    Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean ownDir = dir == null;
        Path workDir = ownDir ? Files.createTempDirectory("synapse-media-offload-demo") : Files.createDirectories(dir);
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTermOrInt(stop::countDown);
        try {
            return runDemo(workDir, stop);
        } finally {
            if (ownDir) {
                // Our own temporary directory (sample store, journal, config): gone with the demo. --dir is kept.
                removeTree(workDir);
            }
        }
    }

    private Integer runDemo(Path workDir, CountDownLatch stop) throws Exception {
        try (Demo demo = Demo.start(workDir, port)) {
            System.out.printf("%nsynapse-media-offload demo is running.%n"
                    + "  Status page:  http://127.0.0.1:%d/%n"
                    + "  Admin token:  %s   (for \"Run now\" and the admin API)%n"
                    + "  Metrics:      http://127.0.0.1:%d/metrics%n"
                    + "  Sample store: %s (%d files; configuration in demo.conf)%n"
                    + "A run starts every minute; or: curl -X POST -H 'Authorization: Bearer %s'"
                    + " http://127.0.0.1:%d/api/v1/runs%nStop with Ctrl+C.%n%n",
                    demo.port(), demo.adminToken(), demo.port(), demo.workDir(), demo.sampleFiles(),
                    demo.adminToken(), demo.port());
            System.out.flush();
            stop.await();
        }
        return 0;
    }

    private static void removeTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("synapse-media-offload: could not remove the demo directory " + dir + ": "
                    + e.getMessage());
        }
    }
}

package org.mediaoffload.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import org.mediaoffload.Daemon;
import org.mediaoffload.config.ConfigLoader;
import org.mediaoffload.config.ConfigSources;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.testing.S3ProxyServer;

/**
 * The README's one-command start: a sample media store and an in-process S3 endpoint (the tests' S3Proxy), with
 * the production daemon on top, configured through the same HOCON loader an operator uses. Only the sample data
 * and the S3 endpoint are demo-specific.
 */
public final class Demo implements AutoCloseable {
    private static final String BUCKET = "synapse-media";

    private final S3ProxyServer s3;
    private final Daemon daemon;
    private final String adminToken;
    private final Path workDir;
    private final int files;

    private Demo(Path workDir, int port) {
        this.workDir = workDir;
        this.adminToken = randomHex(16);
        Path mediaStore = workDir.resolve("media_store");
        this.files = SampleMediaStore.create(mediaStore, workDir.resolve("homeserver.db"));
        this.s3 = S3ProxyServer.start();
        try {
            s3.createBucket(BUCKET);
            Path conf = writeConfig(workDir, mediaStore, port);
            OffloadConfig config = ConfigLoader.load(ConfigSources.none().withConfig(conf), Map.of());
            this.daemon = Daemon.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            try {
                s3.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** @param port the admin/status listener; 0 picks a free one */
    public static Demo start(Path workDir, int port) {
        return new Demo(workDir, port);
    }

    public int port() {
        return daemon.adminPort().orElseThrow(); // demo.conf always sets offload.http.port
    }

    public String adminToken() {
        return adminToken;
    }

    public int sampleFiles() {
        return files;
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        try {
            daemon.close();
        } finally {
            s3.close();
        }
    }

    private Path writeConfig(Path dir, Path mediaStore, int port) {
        String conf = """
                # Written by `synapse-media-offload demo`: an ordinary configuration file.
                offload {
                  media-store-path = "%s"
                  state-dir = "%s"
                  database { type = sqlite, sqlite-path = "%s" }
                  selection { min-age = 1d }
                  s3 {
                    bucket = "%s"
                    prefix = "demo/"
                    endpoint = "%s"
                    access-key-id = "%s"
                    secret-access-key = "%s"
                    sse-customer-key = "%s"
                    ca-bundle = "%s"
                    concurrency = 8
                  }
                  schedule.cron = "0 * * * * ?"
                  http { port = %d, admin-token = "%s" }
                }
                """.formatted(mediaStore, dir.resolve("state"), dir.resolve("homeserver.db"), BUCKET, s3.endpoint(),
                s3.accessKey(), s3.secretKey(), randomHex(16), s3.caBundlePath(), port, adminToken);
        try {
            return Files.writeString(dir.resolve("demo.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

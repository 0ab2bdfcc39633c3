package org.mediaoffload.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.mediaoffload.Engine;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SelectionConfig;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.pin.PinnedTarget;
import org.mediaoffload.pin.ProviderCheck;
import org.mediaoffload.pin.TargetAcceptance;
import org.mediaoffload.pin.TargetPins;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A real Synapse media store for engine tests: files in a temp dir, Synapse's tables in a real PostgreSQL database
 * or SQLite file, a bucket on a real S3 server (S3Proxy or Ceph RGW) over HTTPS with SSE-C, and the production
 * {@link Engine} on top.
 */
public final class OffloadHarness implements AutoCloseable {
    /** 32 ASCII characters: as upstream, the string's bytes are the AES-256 key. */
    public static final String SSE_KEY = "k3yForT3sts-0123456789abcdefABCD";
    /** Another valid key, for a target that differs from the harness's only by its SSE-C key. */
    public static final String OTHER_SSE_KEY = "an0therK3y-0123456789abcdefABCDE";
    public static final long HOUR_MS = 3_600_000L;
    public static final long DAY_MS = 24 * HOUR_MS;

    public enum Db { POSTGRES, SQLITE }

    private final Db db;
    private final Path mediaStore;
    private final Path stateDir;
    private final S3TestServer server;
    private final String bucket;
    private final TestPostgres.Database pg;
    private final Path sqliteFile;
    private final Connection connection;
    private final SynapseFixture fixture;
    public final RequestCounter requests = new RequestCounter();

    public String prefix = "";
    public Optional<String> sseKey = Optional.of(SSE_KEY);
    public Duration minAge = Duration.ofDays(1);
    public Duration quietPeriod = Duration.ofMinutes(10);
    public boolean includeRemote = true;
    public boolean includeQuarantined = true;
    public boolean deleteLocal = true;
    public boolean rewriteUnreadable;
    public Duration maxRunDuration = Duration.ZERO;
    /** Transfer threads; empty for the test default (8). */
    public Optional<Integer> concurrency = Optional.empty();
    public org.mediaoffload.config.AuditConfig audit = org.mediaoffload.config.AuditConfig.defaults();
    /** Talk to the bucket through this endpoint instead (e.g. a {@link ToxicProxy} in front of the server). */
    public Optional<java.net.URI> endpointOverride = Optional.empty();
    /** Adjusts the database settings (e.g. through a {@link ToxicProxy}, with short timeouts). */
    public java.util.function.UnaryOperator<DatabaseConfig> databaseOverride = java.util.function.UnaryOperator.identity();
    /** Synapse's homeserver.yaml, compared with our target before every run. */
    public Optional<Path> homeserverConfig = Optional.empty();
    /** false: no ca-bundle, so the server's self-signed certificate is not trusted. */
    public boolean trustServerCertificate = true;

    public OffloadHarness(Db db, Path tempDir, S3TestServer server) {
        this.db = db;
        this.server = server;
        this.mediaStore = tempDir.resolve("media_store");
        this.stateDir = tempDir.resolve("state");
        this.bucket = "b-" + UUID.randomUUID().toString().substring(0, 12);
        server.createBucket(bucket);
        try {
            Files.createDirectories(mediaStore);
            if (db == Db.POSTGRES) {
                pg = TestPostgres.createDatabase();
                sqliteFile = null;
                connection = pg.connect();
                SynapseSchema.applyPostgres(connection);
            } else {
                pg = null;
                sqliteFile = tempDir.resolve("homeserver.db");
                connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
                SynapseSchema.applySqlite(connection);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        fixture = new SynapseFixture(connection);
    }

    /** The PostgreSQL database (Db.POSTGRES only), for files that name it, such as database.yaml. */
    public TestPostgres.Database postgres() {
        if (pg == null) {
            throw new IllegalStateException("not a PostgreSQL harness");
        }
        return pg;
    }

    public Path mediaStore() {
        return mediaStore;
    }

    public Path stateDir() {
        return stateDir;
    }

    public String bucket() {
        return bucket;
    }

    public S3TestServer server() {
        return server;
    }

    public SynapseFixture fixture() {
        return fixture;
    }

    public Connection connection() {
        return connection;
    }

    public S3Config s3Config() {
        S3Config base = S3TestConfigs.forEndpoint(server, endpointOverride.orElse(server.endpoint()), bucket, prefix,
                sseKey);
        return S3ConfigBuilder.from(base).caBundle(trustServerCertificate ? base.caBundle() : Optional.empty())
                .rewriteUnreadable(rewriteUnreadable).concurrency(concurrency.orElse(base.concurrency())).build();
    }

    public DatabaseConfig databaseConfig() {
        if (db == Db.POSTGRES) {
            return databaseOverride.apply(pg.databaseConfig(100));
        }
        return databaseOverride.apply(DatabaseConfigBuilder.sqlite(sqliteFile).build());
    }

    public OffloadConfig config() {
        return OffloadConfigBuilder.forStore(mediaStore, stateDir, databaseConfig(), s3Config())
                .selection(new SelectionConfig(minAge, includeRemote, includeQuarantined, quietPeriod))
                .deleteLocal(deleteLocal).maxRunDuration(maxRunDuration).homeserverConfig(homeserverConfig)
                .audit(audit).build();
    }

    /**
     * Synapse's homeserver.yaml with an S3 storage provider entry for this harness's bucket and server, with
     * {@code prefix} and {@code sseKey} (which a test varies to make the entry agree or disagree with us).
     */
    public Path writeHomeserverYaml(Path file, String prefix, String sseKey) {
        try {
            return Files.writeString(file, """
                    server_name: example.org
                    media_storage_providers:
                    - module: s3_storage_provider.S3StorageProviderBackend
                      store_local: true
                      store_remote: true
                      store_synchronous: true
                      config:
                        bucket: %s
                        prefix: "%s"
                        endpoint_url: %s
                        region_name: us-east-1
                        sse_customer_key: "%s"
                    """.formatted(bucket, prefix, server.endpoint(), sseKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same settings as {@link #config()}, as a HOCON file for the real command line. */
    public Path writeHoconConfig(Path file, int concurrency) {
        S3Config s3 = s3Config();
        DatabaseConfig database = databaseConfig();
        StringBuilder b = new StringBuilder("offload {\n");
        b.append("  media-store-path = ").append(quote(mediaStore.toString())).append('\n');
        b.append("  state-dir = ").append(quote(stateDir.toString())).append('\n');
        b.append("  delete-local = ").append(deleteLocal).append('\n');
        b.append("  database {\n");
        if (db == Db.POSTGRES) {
            b.append("    type = postgres\n    host = ").append(quote(pg.host())).append("\n    port = ")
                    .append(pg.port()).append("\n    name = ").append(quote(pg.name())).append("\n    user = ")
                    .append(quote(pg.user())).append('\n');
            pg.password().ifPresent(pw -> b.append("    password = ").append(quote(pw)).append('\n'));
        } else {
            b.append("    type = sqlite\n    sqlite-path = ").append(quote(sqliteFile.toString())).append('\n');
        }
        b.append("  }\n  selection {\n    min-age = ").append(minAge.toSeconds()).append("s\n    quiet-period = ")
                .append(quietPeriod.toSeconds()).append("s\n  }\n");
        b.append("  s3 {\n    bucket = ").append(quote(bucket)).append("\n    prefix = ").append(quote(prefix))
                .append("\n    endpoint = ").append(quote(s3.endpoint().orElseThrow().toString()))
                .append("\n    path-style = true\n    access-key-id = ").append(quote(server.accessKey()))
                .append("\n    secret-access-key = ").append(quote(server.secretKey()))
                .append("\n    ca-bundle = ").append(quote(server.caBundlePath().toString()))
                .append("\n    concurrency = ").append(concurrency).append('\n');
        sseKey.ifPresent(k -> b.append("    sse-customer-key = ").append(quote(k)).append('\n'));
        b.append("  }\n}\n");
        try {
            return Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public Engine openEngine(RunListener listener) {
        return Engine.open(config(), "test", listener, requests, Clock.systemUTC());
    }

    /** Pins the configured target in the state directory, as accept-target does (not confirmed by a provider). */
    public void pinTarget() {
        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(stateDir)) {
            new TargetAcceptance(new TargetPins(journal), Clock.systemUTC())
                    .accept(s3Config(), new ProviderCheck(Optional.empty()), "test");
        }
    }

    /** The target pinned in the state directory, if any. */
    public Optional<PinnedTarget> pinnedTarget() {
        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(stateDir)) {
            return new TargetPins(journal).pinned();
        }
    }

    public RunSummary run() {
        return run(false, RunListener.NONE);
    }

    /**
     * The usual start of a test about a bucket that already holds media: adds a local original (300 bytes, three
     * days old) and offloads it with a run that must succeed, whose first verified upload pins the target.
     */
    public RunSummary offloadLocal(String mediaId) throws SQLException {
        addLocal(mediaId, bytes(300, 1), 3 * DAY_MS);
        RunSummary summary = run();
        if (summary.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("the run offloading " + mediaId + " ended " + summary.status() + ": "
                    + summary.errors());
        }
        return summary;
    }

    public RunSummary run(boolean dryRun, RunListener listener) {
        try (Engine engine = openEngine(listener)) {
            return engine.coordinator().runNow("test", dryRun);
        }
    }

    // ---- building media -------------------------------------------------------------------------------------

    public static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static String localOriginal(String mediaId) {
        return "local_content/" + mediaId.substring(0, 2) + "/" + mediaId.substring(2, 4) + "/" + mediaId.substring(4);
    }

    public static String localThumbDir(String mediaId) {
        return "local_thumbnails/" + mediaId.substring(0, 2) + "/" + mediaId.substring(2, 4) + "/"
                + mediaId.substring(4);
    }

    public static String remoteOriginal(String origin, String fsId) {
        return "remote_content/" + origin + "/" + fsId.substring(0, 2) + "/" + fsId.substring(2, 4) + "/"
                + fsId.substring(4);
    }

    public static String remoteThumbDir(String origin, String fsId) {
        return "remote_thumbnail/" + origin + "/" + fsId.substring(0, 2) + "/" + fsId.substring(2, 4) + "/"
                + fsId.substring(4);
    }

    /** A local upload last used {@code ageMs} ago, with its original on disk (old enough for the quiet period). */
    public Path addLocal(String mediaId, byte[] content, long ageMs) throws SQLException {
        Path file = writeFile(localOriginal(mediaId), content);
        fixture.insertLocal(mediaId, (long) content.length, System.currentTimeMillis() - ageMs, null, null, null);
        return file;
    }

    public Path addRemote(String origin, String mediaId, String fsId, byte[] content, long ageMs) throws SQLException {
        Path file = writeFile(remoteOriginal(origin, fsId), content);
        long ts = System.currentTimeMillis() - ageMs;
        fixture.insertRemote(origin, mediaId, fsId, (long) content.length, ts, ts, null);
        return file;
    }

    /** Writes a file below the media store with an mtime an hour ago (outside the default quiet period). */
    public Path writeFile(String relativePath, byte[] content) {
        try {
            Path file = mediaStore.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - HOUR_MS));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean localExists(String relativePath) {
        return Files.exists(mediaStore.resolve(relativePath));
    }

    public void touch(String mediaId, long lastAccessTs) throws SQLException {
        fixture.touch(new MediaRef(MediaKind.LOCAL, "", mediaId), lastAccessTs);
    }

    // ---- looking into the bucket ----------------------------------------------------------------------------

    public String key(String relativePath) {
        return prefix + relativePath;
    }

    /** The object's bytes, read with our SSE-C key, as Synapse's provider reads it; empty if absent. */
    public Optional<byte[]> objectBytes(String relativePath) {
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(key(relativePath));
        sseKey.ifPresent(k -> {
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(k, "AES256");
            get.sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64());
        });
        try {
            return Optional.of(server.adminClient().getObject(get.build(), ResponseTransformer.toBytes())
                    .asByteArray());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /**
     * Puts an object at this file's key as another tool would have: with {@code sseKey} (a configured key string)
     * or, when empty, without SSE-C, so that our key cannot read it.
     */
    public void putObject(String relativePath, byte[] content, Optional<String> sseKey) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key(relativePath));
        sseKey.ifPresent(k -> {
            SseCustomerKey key = SseCustomerKey.fromConfiguredString(k, "AES256");
            put.sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64());
        });
        server.adminClient().putObject(put.build(), RequestBody.fromBytes(content));
    }

    public HeadObjectResponse headWithKey(String relativePath) {
        SseCustomerKey key = SseCustomerKey.fromConfiguredString(sseKey.orElseThrow(), "AES256");
        return server.adminClient().headObject(h -> h.bucket(bucket).key(key(relativePath))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(key.keyBase64()).sseCustomerKeyMD5(key.keyMd5Base64()));
    }

    public List<String> bucketKeys() {
        return server.adminClient().listObjectsV2Paginator(l -> l.bucket(bucket)).contents().stream()
                .map(o -> o.key()).toList();
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.close();
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }
}

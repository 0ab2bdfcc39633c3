package org.mediaoffload.bench;

import java.io.IOException;
import java.io.InputStream;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.testing.S3ConfigBuilder;
import org.mediaoffload.testing.S3ProxyServer;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * The tests' {@link S3ProxyServer} as its own process for the benchmark: HTTPS on 127.0.0.1 with the in-memory
 * {@code transient-nio2} store (which enforces SSE-C), optional WAN-like latency, and a counter of the storage
 * operations S3Proxy performed, served as text on {@code http://127.0.0.1:<countsPort>/counts} ({@code ?reset} zeroes it).
 *
 * <p>Usage: {@code BenchServer <info-file> <latency-ms> <max-seconds> <bucket>...}. Writes the endpoint, keys,
 * certificate and metrics port to {@code info-file} (Java properties) once ready, then serves until killed or
 * until {@code max-seconds} have passed (a forgotten server never outlives the benchmark by much).
 */
public final class BenchServer {
    static final String ACCESS_KEY = "bench-access";
    static final String SECRET_KEY = "bench-secret-0123456789";

    private BenchServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: BenchServer <info-file> <latency-ms> <max-seconds> <bucket>...");
            System.exit(2);
        }
        Path info = Path.of(args[0]);
        long latencyMs = Long.parseLong(args[1]);
        long maxSeconds = Long.parseLong(args[2]);
        List<String> buckets = List.of(args).subList(3, args.length);

        CountingBlobStore[] counting = new CountingBlobStore[1];
        S3ProxyServer.Builder builder = S3ProxyServer.builder().credentials(ACCESS_KEY, SECRET_KEY)
                .middleware(store -> counting[0] = new CountingBlobStore(store));
        if (latencyMs > 0) {
            builder.latency(Duration.ofMillis(latencyMs));
        }
        S3ProxyServer server = builder.start();
        try {
            serve(server, counting[0], info, latencyMs, maxSeconds, buckets);
        } catch (Exception | Error e) {
            // Jetty's threads are not daemons: without this a failed start (bad bucket name, ...) would leave the
            // server running with nobody to stop it.
            e.printStackTrace();
            server.close();
            System.exit(1);
        }
    }

    private static void serve(S3ProxyServer server, CountingBlobStore store, Path info, long latencyMs,
            long maxSeconds, List<String> buckets) throws Exception {
        for (String bucket : buckets) {
            try {
                server.createBucket(bucket);
            } catch (BucketAlreadyOwnedByYouException e) {
                // The SDK's retry of a request that timed out (a server started under SCHED_IDLE on a busy machine
                // can take longer than the 30 s call timeout) finds the bucket its first attempt made.
            }
        }
        URI endpoint = server.endpoint();
        HttpServer counts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        counts.createContext("/counts", exchange -> {
            boolean reset = "reset".equals(exchange.getRequestURI().getQuery());
            StringBuilder body = new StringBuilder();
            store.snapshot(reset).forEach((op, n) -> body.append(op).append(' ').append(n).append('\n'));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (var os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        });
        // Between alternating runs the script empties the last run's bucket: transient-nio2 keeps objects on the
        // heap, and three rounds of every client would not fit.
        counts.createContext("/clear", exchange -> {
            String bucket = exchange.getRequestURI().getQuery();
            store.clearContainer(ListObjectsV2Request.builder().bucket(bucket).build());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        counts.start();
        Properties out = new Properties();
        out.setProperty("endpoint", endpoint.toString());
        out.setProperty("port", Integer.toString(server.securePort()));
        out.setProperty("countsPort", Integer.toString(counts.getAddress().getPort()));
        out.setProperty("accessKey", ACCESS_KEY);
        out.setProperty("secretKey", SECRET_KEY);
        out.setProperty("caPem", server.caBundlePath().toString());
        out.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        Path tmp = info.resolveSibling(info.getFileName() + ".tmp");
        try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.store(w, "bench S3Proxy");
        }
        Files.move(tmp, info, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.err.println("BenchServer ready at " + endpoint + " (counts port " + counts.getAddress().getPort()
                + ", latency " + latencyMs + " ms)");
        TimeUnit.SECONDS.sleep(maxSeconds);
        System.err.println("BenchServer: max lifetime reached, stopping");
        server.close();
        System.exit(0);
    }

    /** A client config for this server; used by the ceiling loop and the seeders. */
    static S3Config config(URI endpoint, Path caPem, String bucket, int concurrency) {
        return config(endpoint, caPem, ACCESS_KEY, SECRET_KEY, bucket, concurrency);
    }

    /**
     * A client config for the server an info file describes: this one, or the Ceph RGW that bench/run.sh starts
     * (it writes the same properties, with RGW's keys).
     */
    static S3Config config(Properties info, String bucket, int concurrency) {
        return config(URI.create(info.getProperty("endpoint")), Path.of(info.getProperty("caPem")),
                info.getProperty("accessKey", ACCESS_KEY), info.getProperty("secretKey", SECRET_KEY), bucket,
                concurrency);
    }

    private static S3Config config(URI endpoint, Path caPem, String accessKey, String secretKey, String bucket,
            int concurrency) {
        return S3ConfigBuilder.forBucket(bucket).endpoint(Optional.of(endpoint)).credentials(accessKey, secretKey)
                .storageClass("STANDARD_IA").sseKey(Optional.of(BenchKeys.SSE_C_KEY)).caBundle(Optional.of(caPem))
                .concurrency(concurrency).multipartThreshold(64L << 20).multipartPartSize(8L << 20).maxAttempts(5)
                .requestTimeout(Duration.ofMinutes(5)).build();
    }

    /** Reads an info file written by {@link #main}. */
    static Properties readInfo(Path info) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(info)) {
            p.load(in);
        }
        return p;
    }
}

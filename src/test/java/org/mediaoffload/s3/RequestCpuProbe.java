package org.mediaoffload.s3;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.testing.S3ConfigBuilder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Benchmark probe (not a test): client CPU per small PutObject, as our uploads send it (SSE-C headers, Content-MD5,
 * STANDARD_IA), through {@link S3ClientFactory}'s client with its HTTP client swapped for another SDK client found
 * on the classpath. bench/run.sh does not run it; docs/benchmarks.md "Client CPU" gives the command and results.
 *
 * <p>Usage: {@code RequestCpuProbe <server.info> <bucket> <threads> <puts-per-round> <rounds> <variant>...} with
 * variants {@code apache} (the factory's S3Client as it is), {@code lean} (the store's lean PutObject, {@link LeanPut},
 * on the factory's connection), {@code url} (UrlConnectionHttpClient) and {@code crt}
 * (AwsCrtHttpClient; it has no trust-manager setting, so it trusts every certificate here). Every variant first
 * proves that it sends Content-MD5 (a wrong one must be refused) and SSE-C (S3Proxy's transient store refuses a
 * PUT without it... and echoes the key MD5), then warms up, then the variants take turns: each round does
 * {@code puts-per-round} PUTs per variant and prints the process CPU per PUT (the server is another process).
 * With {@code cold} as the only variant after {@code <rounds>}'s place, it prints the CPU and wall time from JVM
 * start to the first PUT's answer for one variant: {@code RequestCpuProbe <info> <bucket> 1 1 cold <variant>}.
 */
public final class RequestCpuProbe {
    private static final int BODY_SIZE = 45_000;

    private RequestCpuProbe() {}

    public static void main(String[] args) throws Exception {
        Properties info = new Properties();
        try (var in = java.nio.file.Files.newInputStream(Path.of(args[0]))) {
            info.load(in);
        }
        String bucket = args[1];
        int threads = Integer.parseInt(args[2]);
        int puts = Integer.parseInt(args[3]);
        S3Config config = S3ConfigBuilder.forBucket(bucket).endpoint(Optional.of(URI.create(info.getProperty("endpoint"))))
                .credentials(info.getProperty("accessKey"), info.getProperty("secretKey")).storageClass("STANDARD_IA")
                .sseKey(Optional.of("bench-sse-c-key-0123456789abcdef"))
                .caBundle(Optional.of(Path.of(info.getProperty("caPem")))).concurrency(threads).build();
        byte[] body = new byte[BODY_SIZE];
        new Random(7).nextBytes(body);
        if (args[4].equals("cold")) {
            try (Variant client = variant(config, args[5])) {
                put(client, config, body, "cold/" + args[5], Md5.base64(Md5.of(body, body.length)));
            }
            long cpu = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                    .getProcessCpuTime();
            System.out.printf(Locale.ROOT, "cold %s cpu_ms=%d uptime_ms=%d%n", args[5], cpu / 1_000_000,
                    ManagementFactory.getRuntimeMXBean().getUptime());
            return;
        }
        int rounds = Integer.parseInt(args[4]);
        List<String> variants = List.of(args).subList(5, args.length);
        List<Variant> clients = new ArrayList<>();
        for (String v : variants) {
            Variant c = variant(config, v);
            proveHeaders(c, config, body, v);
            clients.add(c);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < variants.size(); i++) {
            run(pool, clients.get(i), config, body, variants.get(i), Math.max(puts, 2_000));
        }
        for (int r = 1; r <= rounds; r++) {
            for (int i = 0; i < variants.size(); i++) {
                // Rotate the order so that no variant always runs right after the same one.
                int k = (i + r) % variants.size();
                long cpu0 = cpu();
                long t0 = System.nanoTime();
                run(pool, clients.get(k), config, body, variants.get(k), puts);
                double perPut = (cpu() - cpu0) / 1e6 / puts;
                System.out.printf(Locale.ROOT, "round %d %s cpu_ms_per_put=%.3f puts_per_s=%.0f load=%.1f%n", r,
                        variants.get(k), perPut, puts / ((System.nanoTime() - t0) / 1e9),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
        pool.shutdown();
        clients.forEach(Variant::close);
    }

    private static long cpu() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    /** One way to send a PutObject, and what to close after. */
    interface Variant extends AutoCloseable {
        PutObjectResponse putObject(PutObjectRequest request, RequestBody body);

        @Override
        void close();
    }

    static Variant variant(S3Config config, String variant) {
        if (variant.equals("lean")) {
            S3Connection connection = S3ClientFactory.connect(config);
            LeanPut lean = new LeanPut(connection, config);
            return new Variant() {
                @Override
                public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
                    return lean.putObject(request, body);
                }

                @Override
                public void close() {
                    lean.close();
                    connection.close();
                }
            };
        }
        S3Client client = client(config, variant);
        return new Variant() {
            @Override
            public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
                return client.putObject(request, body);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    static S3Client client(S3Config config, String variant) {
        var builder = S3ClientFactory.builder(config);
        if (!variant.equals("apache")) {
            builder.httpClient(sdkClient(variant, config));
        }
        return builder.build();
    }

    /** Another SDK HTTP client by its service name, so that this probe compiles without it on the classpath. */
    private static SdkHttpClient sdkClient(String variant, S3Config config) {
        String wanted = variant.equals("url") ? "UrlConnection" : variant.equals("crt") ? "Crt" : variant;
        for (SdkHttpService s : ServiceLoader.load(SdkHttpService.class)) {
            if (s.getClass().getSimpleName().contains(wanted)) {
                AttributeMap.Builder options = AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.MAX_CONNECTIONS, config.concurrency() + 4)
                        .put(SdkHttpConfigurationOption.READ_TIMEOUT, Duration.ofMinutes(1));
                var trust = PemTrustManagers.fromPemFile(config.caBundle().orElseThrow());
                options.put(SdkHttpConfigurationOption.TLS_TRUST_MANAGERS_PROVIDER, () -> trust);
                if (variant.equals("crt")) {
                    options.put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true);
                }
                return s.createHttpClientBuilder().buildWithDefaults(options.build());
            }
        }
        throw new IllegalArgumentException("no SDK HTTP client named like " + wanted + " on the classpath");
    }

    private static void proveHeaders(Variant client, S3Config config, byte[] body, String variant) {
        try {
            put(client, config, body, "proof/" + variant, "1B2M2Y8AsgTpgAmY7PhCfg==");
            throw new IllegalStateException(variant + ": a wrong Content-MD5 was accepted: it was not sent");
        } catch (S3Exception e) {
            if (e.statusCode() != 400) {
                throw e;
            }
        }
        String echoed = put(client, config, body, "proof/" + variant, Md5.base64(Md5.of(body, body.length)));
        String expected = config.sseCustomerKey().map(SseCustomerKey::keyMd5Base64).orElseThrow();
        if (!expected.equals(echoed)) {
            throw new IllegalStateException(variant + ": SSE-C key MD5 not echoed: " + echoed);
        }
    }

    private static String put(Variant client, S3Config config, byte[] body, String key, String md5) {
        PutObjectRequest request = new SseC(config.sseCustomerKey()).apply(PutObjectRequest.builder()
                .bucket(config.bucket()).key(key).contentLength((long) body.length).contentMD5(md5)
                .storageClass(config.storageClass())).build();
        return client.putObject(request, RequestBody.fromBytes(body)).sseCustomerKeyMD5();
    }

    private static void run(ExecutorService pool, Variant client, S3Config config, byte[] body, String variant,
            int puts) throws Exception {
        String md5 = Md5.base64(Md5.of(body, body.length));
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        int threads = config.concurrency();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < puts) {
                    put(client, config, body, variant + "/" + (n % 500), md5);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }
}

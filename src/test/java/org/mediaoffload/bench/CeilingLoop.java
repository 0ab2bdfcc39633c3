package org.mediaoffload.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;

/**
 * The server's ceiling for our request mix, with no pipeline around it: the same {@link S3ObjectStore} our run
 * uses, at the same concurrency, issuing per media group exactly what a run issues for new media (LIST of the
 * key range, one PUT per file, LIST again) for the same files. No database, journal, walk or deletion.
 *
 * <p>Usage: {@code CeilingLoop <server-info> <bucket> <media-dir> <files.txt> <concurrency> <max-seconds>}. Prints
 * one line: {@code files bytes seconds requests}. Stops early (and says so) at {@code max-seconds}.
 */
public final class CeilingLoop {
    private CeilingLoop() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: CeilingLoop <server-info> <bucket> <media-dir> <files.txt> <concurrency>"
                    + " <max-seconds>");
            System.exit(2);
        }
        Properties info = BenchServer.readInfo(Path.of(args[0]));
        String bucket = args[1];
        Path media = Path.of(args[2]);
        List<String> files = Files.readAllLines(Path.of(args[3]));
        int concurrency = Integer.parseInt(args[4]);
        long maxNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));

        // Group as a run does: an original alone, a thumbnail directory's files together.
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String rel : files) {
            boolean original = rel.startsWith("local_content/") || rel.startsWith("remote_content/");
            String prefix = original ? rel : rel.substring(0, rel.lastIndexOf('/') + 1);
            groups.computeIfAbsent(prefix, k -> new ArrayList<>()).add(rel);
        }
        S3Config config = BenchServer.config(URI.create(info.getProperty("endpoint")),
                Path.of(info.getProperty("caPem")), bucket, concurrency);
        AtomicLong requests = new AtomicLong();
        AtomicLong doneFiles = new AtomicLong();
        AtomicLong doneBytes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        S3RequestObserver counter = (op, status, nanos) -> requests.incrementAndGet();
        long start = System.nanoTime();
        long deadline = start + maxNanos;
        try (S3ObjectStore store = S3ObjectStore.create(config, counter)) {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<?>> futures = new ArrayList<>();
            for (Map.Entry<String, List<String>> group : groups.entrySet()) {
                futures.add(pool.submit(() -> {
                    if (System.nanoTime() > deadline) {
                        return;
                    }
                    try {
                        store.list(group.getKey());
                        for (String rel : group.getValue()) {
                            Path file = media.resolve(rel);
                            long size = Files.size(file);
                            if (!store.put(rel, file, size).acknowledged()) {
                                failures.incrementAndGet();
                            }
                            doneFiles.incrementAndGet();
                            doneBytes.addAndGet(size);
                        }
                        store.list(group.getKey());
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        System.err.println("ceiling: " + group.getKey() + ": " + e);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (System.nanoTime() > deadline) {
            System.err.println("ceiling: stopped at the time cap; figures cover the files done");
        }
        System.out.printf("%d %d %.3f %d %d%n", doneFiles.get(), doneBytes.get(), seconds, requests.get(),
                failures.get());
    }
}

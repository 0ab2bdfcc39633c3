package org.mediaoffload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;

/**
 * Our S3 stack's PUTs alone: {@link JdkPutFloor}'s work (each file of a list read, MD5'd and PUT with SSE-C,
 * STANDARD_IA, at the same concurrency) done through the {@link S3ObjectStore} a run uses (the SDK's client and
 * signer, Apache HttpClient, the lean single-part PUT), with nothing else: no listing (unlike {@link CeilingLoop}'s
 * sweeps), walk, database, journal, verification or deletion. The rung between the JDK-only floor and the run.
 *
 * <p>Usage: {@code StackPutLoop <server-info> <bucket> <media-dir> <files.txt> <concurrency> <max-seconds>}. Prints
 * one line as {@link CeilingLoop}: {@code files bytes seconds requests failures}.
 */
public final class StackPutLoop {
    private StackPutLoop() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: StackPutLoop <server-info> <bucket> <media-dir> <files.txt> <concurrency>"
                    + " <max-seconds>");
            System.exit(2);
        }
        Properties info = BenchServer.readInfo(Path.of(args[0]));
        String bucket = args[1];
        Path media = Path.of(args[2]);
        List<String> files = Files.readAllLines(Path.of(args[3]));
        int concurrency = Integer.parseInt(args[4]);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));
        S3Config config = BenchServer.config(info, bucket, concurrency);
        AtomicLong requests = new AtomicLong();
        AtomicLong doneFiles = new AtomicLong();
        AtomicLong doneBytes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        S3RequestObserver counter = (op, status, nanos) -> requests.incrementAndGet();
        try (S3ObjectStore store = S3ObjectStore.create(config, counter)) {
            AtomicInteger next = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                // Named as our transfer threads, so that bench/thread-cpu.py groups them as "transfer".
                Thread thread = new Thread(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < files.size() && System.nanoTime() < deadline) {
                        String rel = files.get(i);
                        try {
                            Path file = media.resolve(rel);
                            long size = Files.size(file);
                            if (!store.put(rel, file, size).acknowledged()) {
                                failures.incrementAndGet();
                            }
                            doneFiles.incrementAndGet();
                            doneBytes.addAndGet(size);
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            System.err.println("stack-put: " + rel + ": " + e);
                        }
                    }
                }, "offload-transfer-" + t);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (System.nanoTime() > deadline) {
            System.err.println("stack-put: stopped at the time cap; figures cover the files done");
        }
        System.out.printf(Locale.ROOT, "%d %d %.3f %d %d%n", doneFiles.get(), doneBytes.get(), seconds,
                requests.get(), failures.get());
    }
}

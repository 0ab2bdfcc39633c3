package org.mediaoffload.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;

/**
 * The server's ceiling for our request mix, with no pipeline around it: the same {@link S3ObjectStore} our run
 * uses, at the same concurrency, issuing for the same files what a run issues for new media. Media are taken in key
 * order, in batches of {@code concurrency}; per batch, one listing page per tree (key prefix up to the media ids)
 * before the uploads and one after them, and one PUT per file in between (on the transfer threads, one media per
 * thread). No database, journal, walk or deletion.
 *
 * <p>Usage: {@code CeilingLoop <server-info> <bucket> <media-dir> <files.txt> <concurrency> <max-seconds>}. Prints
 * one line: {@code files bytes seconds requests failures}. Stops early (and says so) at {@code max-seconds}.
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

        // One entry per media (original and thumbnails), in key order as a run takes them.
        Map<String, List<String>> byMedia = new TreeMap<>();
        for (String rel : files) {
            byMedia.computeIfAbsent(mediaOf(rel), k -> new ArrayList<>()).add(rel);
        }
        List<List<String>> mediaFiles = new ArrayList<>(byMedia.values());
        S3Config config = BenchServer.config(info, bucket, concurrency);
        AtomicLong requests = new AtomicLong();
        AtomicLong doneFiles = new AtomicLong();
        AtomicLong doneBytes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        S3RequestObserver counter = (op, status, nanos) -> requests.incrementAndGet();
        long start = System.nanoTime();
        long deadline = start + maxNanos;
        try (S3ObjectStore store = S3ObjectStore.create(config, counter)) {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            Semaphore inFlight = new Semaphore(concurrency * 2);
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < mediaFiles.size() && System.nanoTime() < deadline; from += concurrency) {
                List<List<String>> batch = mediaFiles.subList(from, Math.min(mediaFiles.size(), from + concurrency));
                sweep(store, batch);
                AtomicInteger unfinished = new AtomicInteger(batch.size());
                for (List<String> mediaRels : batch) {
                    inFlight.acquire();
                    futures.add(pool.submit(() -> {
                        try {
                            for (String rel : mediaRels) {
                                Path file = media.resolve(rel);
                                long size = Files.size(file);
                                if (!store.put(rel, file, size).acknowledged()) {
                                    failures.incrementAndGet();
                                }
                                doneFiles.incrementAndGet();
                                doneBytes.addAndGet(size);
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            System.err.println("ceiling: " + mediaRels + ": " + e);
                        } finally {
                            inFlight.release();
                            if (unfinished.decrementAndGet() == 0) {
                                sweep(store, batch);
                            }
                        }
                    }));
                }
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

    /** One listing page per tree, starting just before the batch's first key in it, as a run's sweep does. */
    private static void sweep(S3ObjectStore store, List<List<String>> batch) {
        Map<String, String> firstByTree = new TreeMap<>();
        Map<String, Integer> keysByTree = new TreeMap<>();
        for (List<String> mediaRels : batch) {
            for (String rel : mediaRels) {
                firstByTree.merge(treeOf(rel), rel, (a, b) -> a.compareTo(b) <= 0 ? a : b);
                keysByTree.merge(treeOf(rel), 1, Integer::sum);
            }
        }
        // Page sizes as a run on a sparse bucket asks for them: room for about three keys per key of ours.
        firstByTree.forEach((tree, first) -> store.listPage(tree, first.substring(0, first.length() - 1),
                Math.min(1_000, Math.max(64, 3 * keysByTree.get(tree) + 16))));
    }

    /** local_content/, local_thumbnails/, or remote_content/<origin>/, remote_thumbnail/<origin>/. */
    private static String treeOf(String rel) {
        int end = rel.indexOf('/');
        if (rel.startsWith("remote_")) {
            end = rel.indexOf('/', end + 1);
        }
        return rel.substring(0, end + 1);
    }

    /** The media a file belongs to: its id path below the tree ({@code aa/bb/rest}). */
    private static String mediaOf(String rel) {
        String tree = treeOf(rel);
        String rest = rel.substring(tree.length());
        String[] parts = rest.split("/");
        String kind = rel.startsWith("remote_") ? "remote/" + tree.substring(tree.indexOf('/') + 1) : "local/";
        return kind + parts[0] + "/" + parts[1] + "/" + parts[2];
    }
}

package org.mediaoffload.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.mediaoffload.audit.AuditCatalog;
import org.mediaoffload.catalog.SynapseCatalogs;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.DatabaseType;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.UploadFile;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;

/**
 * The audit bench's pieces around the scale store ({@link ScaleStore}): seeding the bucket with the originals of the
 * first offloaded media, and the two things an audit merges, timed alone, so the audit's wall time can be compared
 * with max(listing alone, DB scan alone).
 *
 * <p>Usage: {@code AuditScale objects <rows> <server-info> <count> [lost-every [orphans]]} |
 * {@code AuditScale listing <server-info>} | {@code AuditScale dbscan <database>}. The timings print one line
 * {@code wall_s=.. cpu_s=.. items=..} on stdout. {@code lost-every} K > 0 leaves out every K-th original (lost media
 * spread over the table, as a real store's are); {@code orphans} seeds that many objects for media no row names, as a
 * purge leaves them.
 */
public final class AuditScale {
    private static final int PAGE = 1000;

    private AuditScale() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "objects" -> {
                int rows = Integer.parseInt(args[1]);
                int lostEvery = args.length > 4 ? Integer.parseInt(args[4]) : 0;
                int orphans = args.length > 5 ? Integer.parseInt(args[5]) : 0;
                // The ids are drawn in sequence from one seed: a larger store names the same first media, and its
                // extra ones are media the database does not know.
                objects(new ScaleStore(rows + orphans), Path.of(args[2]), seeded(rows, Integer.parseInt(args[3]),
                        lostEvery, orphans));
            }
            case "listing" -> listing(Path.of(args[1]));
            case "dbscan" -> dbscan(args[1]);
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
    }

    /** Which media get an object: 0 .. count-1 but every lostEvery-th (when > 0), then rows .. rows+orphans-1. */
    private static int[] seeded(int rows, int count, int lostEvery, int orphans) {
        return IntStream.concat(IntStream.range(0, count).filter(i -> lostEvery <= 0 || (i + 1) % lostEvery != 0),
                IntStream.range(rows, rows + orphans)).toArray();
    }

    /** The originals of the given media (offloaded long ago), with their media_length, our SSE-C key. */
    private static void objects(ScaleStore store, Path serverInfo, int[] media) throws Exception {
        RandomBytes bytes = new RandomBytes(1 << 20, 7L);
        S3Config config = BenchServer.config(BenchServer.readInfo(serverInfo), "bench", 32);
        long start = System.nanoTime();
        try (S3ObjectStore s3 = S3ObjectStore.create(config, S3RequestObserver.NONE)) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> puts = new ArrayList<>();
            for (int i : media) {
                String key = store.original(i);
                ByteBuffer body = bytes.slice(new SplittableRandom(i), store.size(i));
                puts.add(pool.submit(() -> s3.put(key, inMemory(key, body))));
                if (puts.size() >= 2_000) {
                    for (Future<?> f : puts) {
                        f.get();
                    }
                    puts.clear();
                }
            }
            for (Future<?> f : puts) {
                f.get();
            }
            pool.shutdown();
        }
        System.err.printf("audit bench: %d objects seeded in %.1f s%n", media.length,
                (System.nanoTime() - start) / 1e9);
    }

    private static UploadFile inMemory(String name, ByteBuffer body) {
        return new UploadFile() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long size() {
                return body.remaining();
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(body.array(), body.arrayOffset() + body.position(), body.remaining());
            }

            @Override
            public void checkUnchanged() {
                // bytes in memory do not change
            }
        };
    }

    /** One pass over every page under the bucket's root, as the audit lists it, keeping nothing. */
    private static void listing(Path serverInfo) throws Exception {
        S3Config config = BenchServer.config(BenchServer.readInfo(serverInfo), "bench", 1);
        long cpu0 = cpu();
        long start = System.nanoTime();
        long objects = 0;
        try (S3ObjectStore s3 = S3ObjectStore.create(config, S3RequestObserver.NONE)) {
            String after = "";
            while (true) {
                ObjectStore.ListPage page = s3.listPage("", after, PAGE);
                objects += page.objects().size();
                if (!page.truncated() || page.objects().isEmpty()) {
                    break;
                }
                after = page.objects().get(page.objects().size() - 1).key();
            }
        }
        print(start, cpu0, objects);
    }

    /** The audit catalog's scan of every media and thumbnail row, counting them. */
    private static void dbscan(String database) {
        DatabaseConfig config = new DatabaseConfig(DatabaseType.POSTGRES, Optional.empty(),
                Optional.of(BenchDatabase.host()), BenchDatabase.port(), Optional.of(database),
                Optional.of(BenchDatabase.user()), Optional.empty(), Optional.empty(), Map.of(), Duration.ofMinutes(5),
                0);
        AtomicLong rows = new AtomicLong();
        long cpu0 = cpu();
        long start = System.nanoTime();
        try (AuditCatalog catalog = SynapseCatalogs.openForAudit(config)) {
            catalog.scan(new AuditCatalog.Sink() {
                @Override
                public void media(AuditCatalog.MediaEntry m) {
                    rows.incrementAndGet();
                }

                @Override
                public void thumbnail(AuditCatalog.ThumbnailEntry t) {
                    rows.incrementAndGet();
                }
            });
        }
        print(start, cpu0, rows.get());
    }

    private static long cpu() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static void print(long startNanos, long cpu0, long items) {
        System.out.printf("wall_s=%.2f cpu_s=%.2f items=%d%n", (System.nanoTime() - startNanos) / 1e9,
                (cpu() - cpu0) / 1e9, items);
    }
}

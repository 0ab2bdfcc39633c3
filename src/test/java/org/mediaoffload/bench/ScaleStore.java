package org.mediaoffload.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;

/**
 * The scale scenario's store: {@code rows} media rows (80 % local with one thumbnail, 20 % remote), of which the last
 * 10,000 were accessed an hour ago (not eligible, files on disk) and all others were offloaded long ago (no local
 * files, journal rows {@code DELETED} as earlier runs leave them). Everything is derived from a fixed seed, so
 * each step below regenerates the same ids.
 *
 * <p>Usage: {@code ScaleStore <step> <rows> <work-dir> <database> [server-info]} with step
 * <ul>
 *   <li>{@code setup}: the database, bulk-loaded with COPY;
 *   <li>{@code journal}: the journal rows, written into {@code <work-dir>/state/offload.db} (its schema must already
 *       exist: the production code creates it);
 *   <li>{@code recent}: the local files of the 10,000 recent media;
 *   <li>{@code pullback}: 1,000 offloaded media reappear on disk, and their objects are put in the bucket (only
 *       those: they are what the run must verify); writes the number of files to {@code pullback-files.txt};
 *   <li>{@code left}: prints how many pulled-back files are still on disk.
 * </ul>
 */
public final class ScaleStore {
    static final int RECENT = 10_000;
    static final int PULLED_BACK = 1_000;
    private static final String[] ORIGINS = {"matrix.org", "example.com", "chat.example.net"};
    private static final String THUMB = "32-32-image-jpeg-crop";

    private final int rows;
    private final String[] ids;
    private final int[] sizes;
    private final long nowMs = System.currentTimeMillis();

    ScaleStore(int rows) {
        this.rows = rows;
        this.ids = new String[rows];
        this.sizes = new int[rows];
        SplittableRandom random = new SplittableRandom(1_000_000L);
        for (int i = 0; i < rows; i++) {
            ids[i] = BenchIds.mediaId(random);
            sizes[i] = 1024 + random.nextInt(19 * 1024);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ScaleStore <setup|journal|recent|pullback|left> <rows> <work-dir> <database>"
                    + " [server-info]");
            System.exit(2);
        }
        ScaleStore store = new ScaleStore(Integer.parseInt(args[1]));
        Path work = Path.of(args[2]);
        switch (args[0]) {
            case "setup" -> store.setup(args[3]);
            case "journal" -> store.journal(work.resolve("state").resolve("offload.db"));
            case "recent" -> store.recent(work.resolve("media"));
            case "pullback" -> store.pullback(work, Path.of(args[4]));
            case "left" -> System.out.println(store.left(work.resolve("media")));
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
    }

    private boolean local(int i) {
        return i % 5 != 0;
    }

    /** Bytes of media {@code i}'s original (its media_length). */
    int size(int i) {
        return sizes[i];
    }

    boolean recent(int i) {
        return i >= rows - RECENT;
    }

    private String origin(int i) {
        return ORIGINS[i % ORIGINS.length];
    }

    private String split(int i) {
        return ids[i].substring(0, 2) + "/" + ids[i].substring(2, 4) + "/" + ids[i].substring(4);
    }

    String original(int i) {
        return local(i) ? "local_content/" + split(i) : "remote_content/" + origin(i) + "/" + split(i);
    }

    private String thumbnail(int i) {
        return "local_thumbnails/" + split(i) + "/" + THUMB;
    }

    private int thumbSize(int i) {
        return 512 + sizes[i] % 4096;
    }

    /** The offloaded media that reappear: spread evenly over the table. */
    private List<Integer> pulledBack() {
        List<Integer> out = new ArrayList<>(PULLED_BACK);
        int step = (rows - RECENT) / PULLED_BACK;
        for (int k = 0; k < PULLED_BACK; k++) {
            out.add(k * step + k % 5); // every fifth remote, as in the table
        }
        return out;
    }

    private void setup(String database) throws Exception {
        StringBuilder localCsv = new StringBuilder();
        StringBuilder remoteCsv = new StringBuilder();
        StringBuilder thumbCsv = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            long created = recent(i) ? nowMs - Duration.ofDays(2).toMillis() : nowMs - Duration.ofDays(400).toMillis();
            long accessed = recent(i) ? nowMs - Duration.ofHours(1).toMillis() : nowMs - Duration.ofDays(100).toMillis();
            if (local(i)) {
                localCsv.append(ids[i]).append(",image/jpeg,").append(sizes[i]).append(',').append(created)
                        .append(",photo.jpg,@bench:example.org,").append(accessed).append('\n');
                thumbCsv.append(ids[i]).append(",32,32,image/jpeg,crop,").append(thumbSize(i)).append('\n');
            } else {
                remoteCsv.append(origin(i)).append(",R").append(ids[i]).append(",image/jpeg,").append(created)
                        .append(',').append(sizes[i]).append(',').append(ids[i]).append(',').append(accessed)
                        .append('\n');
            }
        }
        long start = System.nanoTime();
        try (Connection c = BenchDatabase.recreate(database)) {
            long n = BenchDatabase.copy(c, "local_media_repository (media_id, media_type, media_length, created_ts,"
                    + " upload_name, user_id, last_access_ts)", localCsv);
            n += BenchDatabase.copy(c, "remote_media_cache (media_origin, media_id, media_type, created_ts,"
                    + " media_length, filesystem_id, last_access_ts)", remoteCsv);
            BenchDatabase.copy(c, "local_media_repository_thumbnails (media_id, thumbnail_width, thumbnail_height,"
                    + " thumbnail_type, thumbnail_method, thumbnail_length)", thumbCsv);
            BenchDatabase.analyze(c);
            System.err.printf("scale: %d media rows loaded in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
        }
    }

    private void journal(Path db) throws Exception {
        if (!Files.isRegularFile(db)) {
            throw new IllegalStateException(db + " does not exist: run run-once once first to create the schema");
        }
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA synchronous = OFF"); // a bulk load of our own; the runs use the real settings
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO files (key, relative_path, state, size,"
                    + " mtime_ms, md5, run_id, uploaded_at, verified_at, deleted_at, error, updated_at)"
                    + " VALUES (?, ?, 'DELETED', ?, ?, NULL, NULL, ?, ?, ?, NULL, ?)")) {
                long n = 0;
                for (int i = 0; i < rows - RECENT; i++) {
                    // Spread over the retention window, as daily runs would have left them.
                    long at = nowMs - Duration.ofDays(1 + i % 80).toMillis();
                    n += add(ps, original(i), sizes[i], at);
                    if (local(i)) {
                        n += add(ps, thumbnail(i), thumbSize(i), at);
                    }
                    if (n % 10_000 < 2) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
                c.commit();
                System.err.printf("scale: %d journal rows written in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private int add(PreparedStatement ps, String rel, int size, long at) throws Exception {
        ps.setString(1, rel);
        ps.setString(2, rel);
        ps.setLong(3, size);
        ps.setLong(4, at - Duration.ofDays(30).toMillis());
        ps.setLong(5, at);
        ps.setLong(6, at);
        ps.setLong(7, at);
        ps.setLong(8, at);
        ps.addBatch();
        return 1;
    }

    private void recent(Path media) throws IOException {
        RandomBytes bytes = new RandomBytes(1 << 20, 3L);
        SplittableRandom random = new SplittableRandom(5L);
        FileTime mtime = FileTime.fromMillis(nowMs - Duration.ofHours(1).toMillis());
        for (int i = rows - RECENT; i < rows; i++) {
            writeMediaFiles(media, i, bytes, random, mtime);
        }
    }

    private List<String> writeMediaFiles(Path media, int i, RandomBytes bytes, SplittableRandom random,
            FileTime mtime) throws IOException {
        List<String> written = new ArrayList<>();
        write(media, original(i), sizes[i], bytes, random, mtime);
        written.add(original(i));
        if (local(i)) {
            write(media, thumbnail(i), thumbSize(i), bytes, random, mtime);
            written.add(thumbnail(i));
        }
        return written;
    }

    private static void write(Path media, String rel, int size, RandomBytes bytes, SplittableRandom random,
            FileTime mtime) throws IOException {
        Path file = media.resolve(rel);
        Files.createDirectories(file.getParent());
        byte[] content = new byte[size];
        bytes.slice(random, size).get(content);
        byte[] head = rel.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, content, 0, Math.min(head.length, size));
        Files.write(file, content);
        Files.setLastModifiedTime(file, mtime);
    }

    private void pullback(Path work, Path serverInfo) throws Exception {
        Path media = work.resolve("media");
        RandomBytes bytes = new RandomBytes(1 << 20, 4L);
        SplittableRandom random = new SplittableRandom(6L);
        FileTime mtime = FileTime.fromMillis(nowMs - Duration.ofDays(1).toMillis());
        List<String> files = new ArrayList<>();
        for (int i : pulledBack()) {
            files.addAll(writeMediaFiles(media, i, bytes, random, mtime));
        }
        Properties info = BenchServer.readInfo(serverInfo);
        S3Config config = BenchServer.config(URI.create(info.getProperty("endpoint")),
                Path.of(info.getProperty("caPem")), "bench", 32);
        try (S3ObjectStore store = S3ObjectStore.create(config, S3RequestObserver.NONE)) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> puts = new ArrayList<>();
            for (String rel : files) {
                puts.add(pool.submit(() -> {
                    Path file = media.resolve(rel);
                    if (!store.put(rel, file, Files.size(file)).acknowledged()) {
                        throw new IllegalStateException("seeding " + rel + " was not acknowledged");
                    }
                    return null;
                }));
            }
            for (Future<?> f : puts) {
                f.get();
            }
            pool.shutdown();
        }
        Files.writeString(work.resolve("pullback-files.txt"), Integer.toString(files.size()));
        System.err.printf("scale: %d pulled-back files on disk and in the bucket%n", files.size());
    }

    private int left(Path media) {
        int n = 0;
        for (int i : pulledBack()) {
            if (Files.exists(media.resolve(original(i)))) {
                n++;
            }
            if (local(i) && Files.exists(media.resolve(thumbnail(i)))) {
                n++;
            }
        }
        return n;
    }
}

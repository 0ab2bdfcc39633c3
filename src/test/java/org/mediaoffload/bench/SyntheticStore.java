package org.mediaoffload.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a synthetic Synapse media store: rows in a fresh PostgreSQL database (Synapse's DDL, bulk-loaded with
 * COPY) and the matching files under {@code <out>/media}, plus {@code <out>/files.txt} (every file, relative to the
 * media store, for {@code rclone --files-from} and the ceiling loop) and {@code <out>/stats.properties}.
 *
 * <p>Usage: {@code SyntheticStore <small|mixed> <scale> <out-dir> <database>}. Deterministic (fixed seed). All
 * media are old enough for {@code min-age = 30d} and their files older than the quiet period.
 *
 * <p>It also writes a <em>warm-up</em> store of the same shape and size under {@code <out-dir>/warmup/media}, with
 * other media ids and its rows in the same database: the daemon benchmark offloads it first, so that the measured
 * run happens in a JVM that has already done the work once, as every scheduled run after the first does.
 *
 * <ul>
 *   <li>small: at scale 1, 7,000 media (80 % local, 20 % remote) with 0-3 thumbnails each, about 20k files;
 *       originals 90 % 5-200 KB and 10 % 200 KB-1 MB, thumbnails 2-40 KB (log-uniform).
 *   <li>mixed: at scale 1, 1,200 photos of 100 KB-8 MB with 2 thumbnails of 10-80 KB, and 45 videos of 5-50 MB
 *       with one thumbnail: about 3.2 GB in 3,700 files.
 * </ul>
 */
public final class SyntheticStore {
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final String[] THUMBS = {"32-32-image-jpeg-crop", "96-96-image-jpeg-crop",
        "320-240-image-jpeg-scale", "640-480-image-jpeg-scale"};
    private static final String[] ORIGINS = {"matrix.org", "example.com", "chat.example.net"};

    private final SplittableRandom random;
    private final RandomBytes bytes = new RandomBytes(64 * (int) MB, 7L);
    private final Path media;
    private final List<String> relativePaths = new ArrayList<>();
    private final long nowMs = System.currentTimeMillis();
    private final FileTime oldMtime = FileTime.fromMillis(nowMs - Duration.ofDays(2).toMillis());
    private long totalBytes;
    private final StringBuilder localCsv = new StringBuilder();
    private final StringBuilder remoteCsv = new StringBuilder();

    private SyntheticStore(Path media, long seed) {
        this.media = media;
        this.random = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SyntheticStore <small|mixed> <scale> <out-dir> <database>");
            System.exit(2);
        }
        String profile = args[0];
        double scale = Double.parseDouble(args[1]);
        Path out = Path.of(args[2]);
        String database = args[3];
        SyntheticStore store = new SyntheticStore(out.resolve("media"), 20261128L);
        int mediaCount = store.generate(profile, scale);
        SyntheticStore warmup = new SyntheticStore(out.resolve("warmup").resolve("media"), 20261129L);
        warmup.generate(profile, scale);
        try (Connection c = BenchDatabase.recreate(database)) {
            for (SyntheticStore s : new SyntheticStore[] {store, warmup}) {
                BenchDatabase.copy(c, "local_media_repository (media_id, media_type, media_length, created_ts,"
                        + " upload_name, user_id, last_access_ts)", s.localCsv);
                BenchDatabase.copy(c, "remote_media_cache (media_origin, media_id, media_type, created_ts,"
                        + " media_length, filesystem_id, last_access_ts)", s.remoteCsv);
            }
        }
        Files.write(out.resolve("files.txt"), store.relativePaths, StandardCharsets.UTF_8);
        try (Writer w = Files.newBufferedWriter(out.resolve("stats.properties"))) {
            // The scale exactly as given, so bench/run.sh can tell whether the store matches BENCH_SCALE.
            w.write("profile=" + profile + "\nscale=" + args[1] + "\nmedia=" + mediaCount + "\nfiles="
                    + store.relativePaths.size() + "\nbytes=" + store.totalBytes + "\n");
        }
        System.err.printf("%s profile at scale %s: %d media, %d files, %.1f MB%n", profile, scale, mediaCount,
                store.relativePaths.size(), store.totalBytes / (double) MB);
    }

    /** Writes the profile's files; returns the number of media. */
    private int generate(String profile, double scale) throws IOException {
        for (String top : new String[] {"local_content", "local_thumbnails", "remote_content", "remote_thumbnail"}) {
            Files.createDirectories(media.resolve(top));
        }
        if ("small".equals(profile)) {
            int mediaCount = (int) Math.max(10, Math.round(7000 * scale));
            small(mediaCount);
            return mediaCount;
        }
        if ("mixed".equals(profile)) {
            return mixed(scale);
        }
        throw new IllegalArgumentException("profile must be small or mixed, not " + profile);
    }

    private void small(int mediaCount) throws IOException {
        for (int i = 0; i < mediaCount; i++) {
            long size = random.nextInt(10) == 0 ? logUniform(200 * KB, 1 * MB) : logUniform(5 * KB, 200 * KB);
            int roll = random.nextInt(10);
            int thumbs = roll == 0 ? 0 : roll < 3 ? 1 : roll < 7 ? 2 : 3;
            long[] thumbSizes = new long[thumbs];
            for (int t = 0; t < thumbs; t++) {
                thumbSizes[t] = logUniform(2 * KB, 40 * KB);
            }
            addMedia(random.nextInt(5) != 0, size, thumbSizes);
        }
    }

    private int mixed(double scale) throws IOException {
        int photos = (int) Math.max(4, Math.round(1200 * scale));
        int videos = (int) Math.max(1, Math.round(45 * scale));
        for (int i = 0; i < photos; i++) {
            addMedia(random.nextInt(5) != 0, logUniform(100 * KB, 8 * MB),
                    new long[] {logUniform(10 * KB, 40 * KB), logUniform(30 * KB, 80 * KB)});
        }
        for (int i = 0; i < videos; i++) {
            addMedia(random.nextInt(5) != 0, logUniform(5 * MB, 50 * MB), new long[] {logUniform(20 * KB, 80 * KB)});
        }
        return photos + videos;
    }

    private void addMedia(boolean local, long size, long[] thumbSizes) throws IOException {
        String id = BenchIds.mediaId(random);
        String split = id.substring(0, 2) + "/" + id.substring(2, 4) + "/" + id.substring(4);
        long created = nowMs - Duration.ofDays(60 + random.nextInt(300)).toMillis();
        long accessed = created + Duration.ofDays(random.nextInt(20)).toMillis();
        String original;
        String thumbDir;
        if (local) {
            original = "local_content/" + split;
            thumbDir = "local_thumbnails/" + split;
            localCsv.append(id).append(",image/jpeg,").append(size).append(',').append(created)
                    .append(",photo.jpg,@bench:example.org,").append(accessed).append('\n');
        } else {
            String origin = ORIGINS[random.nextInt(ORIGINS.length)];
            String remoteId = BenchIds.mediaId(random);
            original = "remote_content/" + origin + "/" + split;
            thumbDir = "remote_thumbnail/" + origin + "/" + split;
            remoteCsv.append(origin).append(',').append(remoteId).append(",image/jpeg,").append(created).append(',')
                    .append(size).append(',').append(id).append(',').append(accessed).append('\n');
        }
        write(original, size);
        for (int t = 0; t < thumbSizes.length; t++) {
            write(thumbDir + "/" + THUMBS[t], thumbSizes[t]);
        }
    }

    private void write(String relative, long size) throws IOException {
        Path file = media.resolve(relative);
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // A unique head per file, so no two objects share an MD5; the body is a slice of random bytes.
            byte[] head = (relative + "\n").getBytes(StandardCharsets.UTF_8);
            int headLen = (int) Math.min(head.length, size);
            ch.write(ByteBuffer.wrap(head, 0, headLen));
            long remaining = size - headLen;
            while (remaining > 0) {
                ByteBuffer slice = bytes.slice(random, (int) Math.min(remaining, 4 * MB));
                remaining -= slice.remaining();
                while (slice.hasRemaining()) {
                    ch.write(slice);
                }
            }
        }
        Files.setLastModifiedTime(file, oldMtime);
        relativePaths.add(relative);
        totalBytes += size;
    }

    private long logUniform(long min, long max) {
        double v = Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
        return Math.max(min, Math.min(max, Math.round(v)));
    }
}

package org.mediaoffload.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Generates the streaming-discovery stores: many media with one small original each, rows COPYed into a fresh
 * PostgreSQL database in slices (so the generator itself stays small whatever the count).
 *
 * <p>Usage: {@code StreamingStore <local|remote70> <media> <out-dir> <database>}.
 * <ul>
 *   <li>local: every media local (issue 9's first run: 1,500,000 media, one 1-4 KB original each).
 *   <li>remote70: 70 % remote media spread over 50 origins (named so that key order and name order differ:
 *       {@code o07.example.com}, {@code o07.example.com.au}, ...), 30 % local; same file sizes.
 * </ul>
 * Every row is older than {@code min-age = 30d} and every file older than the quiet period. Deterministic.
 */
public final class StreamingStore {
    private static final int ORIGINS = 50;
    private static final int COPY_SLICE = 100_000;

    private final SplittableRandom random = new SplittableRandom(20261201L);
    private final Path media;
    private final FileTime oldMtime = FileTime.fromMillis(System.currentTimeMillis() - Duration.ofDays(2).toMillis());
    private final byte[] body = new byte[4096];

    private StreamingStore(Path media) {
        this.media = media;
        random.nextBytes(body);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: StreamingStore <local|remote70> <media> <out-dir> <database>");
            System.exit(2);
        }
        boolean remote70 = switch (args[0]) {
            case "local" -> false;
            case "remote70" -> true;
            default -> throw new IllegalArgumentException("profile must be local or remote70, not " + args[0]);
        };
        int count = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        StreamingStore store = new StreamingStore(out.resolve("media"));
        long[] totals = store.generate(remote70, count, args[3]);
        try (Writer w = Files.newBufferedWriter(out.resolve("stats.properties"))) {
            w.write("profile=" + args[0] + "\nmedia=" + count + "\nfiles=" + count + "\nbytes=" + totals[0]
                    + "\nremote=" + totals[1] + "\n");
        }
        System.err.printf("%s: %d media (%d remote), %.1f MB%n", args[0], count, totals[1], totals[0] / 1048576.0);
    }

    /** @return total bytes and remote media */
    private long[] generate(boolean remote70, int count, String database) throws IOException, java.sql.SQLException {
        for (String top : new String[] {"local_content", "local_thumbnails", "remote_content", "remote_thumbnail"}) {
            Files.createDirectories(media.resolve(top));
        }
        long now = System.currentTimeMillis();
        long bytes = 0;
        long remotes = 0;
        StringBuilder local = new StringBuilder();
        StringBuilder remote = new StringBuilder();
        try (Connection c = BenchDatabase.recreate(database)) {
            for (int i = 0; i < count; i++) {
                String id = BenchIds.mediaId(random);
                String split = id.substring(0, 2) + "/" + id.substring(2, 4) + "/" + id.substring(4);
                int size = 1024 + random.nextInt(3072);
                long created = now - Duration.ofDays(60 + random.nextInt(300)).toMillis();
                if (remote70 && random.nextInt(10) < 7) {
                    int o = random.nextInt(ORIGINS);
                    String origin = "o" + (o / 2) + ".example.com" + (o % 2 == 0 ? "" : ".au");
                    write("remote_content/" + origin + "/" + split, size);
                    remote.append(origin).append(',').append(BenchIds.mediaId(random)).append(",image/jpeg,")
                            .append(created).append(',').append(size).append(',').append(id).append(',')
                            .append(created).append('\n');
                    remotes++;
                } else {
                    write("local_content/" + split, size);
                    local.append(id).append(",image/jpeg,").append(size).append(',').append(created)
                            .append(",photo.jpg,@bench:example.org,").append(created).append('\n');
                }
                bytes += size;
                if ((i + 1) % COPY_SLICE == 0 || i + 1 == count) {
                    BenchDatabase.copy(c, "local_media_repository (media_id, media_type, media_length, created_ts,"
                            + " upload_name, user_id, last_access_ts)", local);
                    BenchDatabase.copy(c, "remote_media_cache (media_origin, media_id, media_type, created_ts,"
                            + " media_length, filesystem_id, last_access_ts)", remote);
                    local.setLength(0);
                    remote.setLength(0);
                    System.err.printf("  %d / %d media%n", i + 1, count);
                }
            }
            BenchDatabase.analyze(c);
        }
        return new long[] {bytes, remotes};
    }

    private void write(String relative, int size) throws IOException {
        Path file = media.resolve(relative);
        Files.createDirectories(file.getParent());
        // A unique head per file, so no two objects share an MD5.
        byte[] head = (relative + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[size];
        System.arraycopy(body, 0, content, 0, size);
        System.arraycopy(head, 0, content, 0, Math.min(head.length, size));
        Files.write(file, content);
        Files.setLastModifiedTime(file, oldMtime);
    }
}

package org.mediaoffload.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;

/**
 * A small Synapse media store for the demo: a SQLite homeserver database with Synapse's media tables and files in
 * Synapse's layout. Most media are old enough to offload; some were used recently, one upload is still pending,
 * and one URL preview shows that those are never touched.
 */
final class SampleMediaStore {
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String[] THUMBNAILS = {"32-32-image-jpeg-crop", "96-96-image-jpeg-crop",
        "320-240-image-jpeg-scale"};

    private final Random random = new Random(20261128);
    private final Path mediaStore;
    private final long now = System.currentTimeMillis();

    private SampleMediaStore(Path mediaStore) {
        this.mediaStore = mediaStore;
    }

    /** Creates the store and its database; returns how many files were written. */
    static int create(Path mediaStore, Path database) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            applySchema(db);
            return new SampleMediaStore(mediaStore).fill(db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the demo database " + database + ": " + e.getMessage(), e);
        }
    }

    private int fill(Connection db) throws SQLException {
        int files = 0;
        db.setAutoCommit(false);
        try (PreparedStatement local = db.prepareStatement("INSERT INTO local_media_repository (media_id, media_type,"
                + " media_length, created_ts, upload_name, user_id, url_cache, last_access_ts) VALUES (?, 'image/jpeg',"
                + " ?, ?, 'photo.jpg', '@demo:example.org', ?, ?)");
                PreparedStatement remote = db.prepareStatement("INSERT INTO remote_media_cache (media_origin,"
                        + " media_id, media_type, created_ts, media_length, filesystem_id, last_access_ts)"
                        + " VALUES (?, ?, 'image/png', ?, ?, ?, ?)")) {
            for (int i = 0; i < 40; i++) {
                boolean recent = i % 8 == 0;
                long lastUsed = now - (recent ? Duration.ofHours(1) : Duration.ofDays(2 + i)).toMillis();
                String id = randomId();
                int size = 20_000 + random.nextInt(400_000);
                files += writeMedia("local_content/", "local_thumbnails/", id, size);
                local.setString(1, id);
                local.setLong(2, size);
                local.setLong(3, lastUsed - Duration.ofDays(1).toMillis());
                local.setString(4, null);
                local.setLong(5, lastUsed);
                local.addBatch();
            }
            String[] origins = {"matrix.org", "example.com:8448"};
            for (int i = 0; i < 16; i++) {
                String origin = origins[i % 2];
                String fsId = randomId();
                int size = 10_000 + random.nextInt(300_000);
                long lastUsed = now - Duration.ofDays(3 + i).toMillis();
                files += writeMedia("remote_content/" + origin + "/", "remote_thumbnail/" + origin + "/", fsId, size);
                remote.setString(1, origin);
                remote.setString(2, "remote" + i);
                remote.setLong(3, lastUsed);
                remote.setLong(4, size);
                remote.setString(5, fsId);
                remote.setLong(6, lastUsed);
                remote.addBatch();
            }
            // An async upload (/create) whose bytes have not arrived: left alone.
            String pending = randomId();
            files += writeMedia("local_content/", "local_thumbnails/", pending, 1_000);
            local.setString(1, pending);
            local.setNull(2, java.sql.Types.INTEGER);
            local.setLong(3, now - Duration.ofDays(5).toMillis());
            local.setString(4, null);
            local.setNull(5, java.sql.Types.BIGINT);
            local.addBatch();
            local.executeBatch();
            remote.executeBatch();
        }
        db.commit();
        return files;
    }

    private int writeMedia(String contentDir, String thumbnailDir, String id, int size) {
        String split = id.substring(0, 2) + "/" + id.substring(2, 4) + "/" + id.substring(4);
        write(contentDir + split, size);
        for (String thumbnail : THUMBNAILS) {
            write(thumbnailDir + split + "/" + thumbnail, 2_000 + random.nextInt(30_000));
        }
        return 1 + THUMBNAILS.length;
    }

    private void write(String relativePath, int size) {
        byte[] content = new byte[size];
        random.nextBytes(content);
        try {
            Path file = mediaStore.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            // Written an hour ago, as far as the quiet period is concerned.
            Files.setLastModifiedTime(file, FileTime.fromMillis(now - Duration.ofHours(1).toMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String randomId() {
        StringBuilder b = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            b.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return b.toString();
    }

    private static void applySchema(Connection db) throws SQLException {
        String ddl;
        try (InputStream in = SampleMediaStore.class.getResourceAsStream("synapse-schema-sqlite.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Statement st = db.createStatement()) {
            for (String statement : ddl.split(";")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
        }
    }
}

package org.mediaoffload.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediaoffload.catalog.SynapseCatalogs;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.testing.DatabaseConfigBuilder;

/**
 * The database side of discovery's remote lookups alone, without the walk: every remote media of a
 * {@link StreamingStore} database is looked up as discovery does it, in the walk's order (origin by origin, ids in
 * key order), in chunks of 64 doubling to 16,384, through the production catalog on one session. Prints the wall
 * time, the slowest chunk and the rows found.
 *
 * <p>Usage: {@code RemoteLookupCost <database>}.
 */
public final class RemoteLookupCost {
    private RemoteLookupCost() {}

    public static void main(String[] args) throws Exception {
        List<DiskMediaId> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(BenchDatabase.url(args[0]), BenchDatabase.user(), "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT media_origin, filesystem_id FROM remote_media_cache"
                        + " ORDER BY media_origin COLLATE \"C\", filesystem_id COLLATE \"C\"")) {
            while (rs.next()) {
                ids.add(new DiskMediaId(MediaKind.REMOTE, rs.getString(1), rs.getString(2)));
            }
        }
        DatabaseConfig db = DatabaseConfigBuilder.postgresUrl(BenchDatabase.url(args[0]))
                .user(Optional.of(BenchDatabase.user())).fetchSize(1000).build();
        long[] found = {0};
        long slowest = 0;
        int chunks = 0;
        long start = System.nanoTime();
        try (MediaCatalog catalog = SynapseCatalogs.open(db)) {
            int size = 64;
            for (int i = 0; i < ids.size(); i += size, size = Math.min(16_384, size * 2)) {
                long t = System.nanoTime();
                catalog.eligibleAmong(Long.MAX_VALUE, true, ids.subList(i, Math.min(ids.size(), i + size)),
                        row -> found[0]++);
                slowest = Math.max(slowest, System.nanoTime() - t);
                chunks++;
            }
        }
        System.out.printf("remote lookups: %d media, %d chunks, %.1f s wall, slowest chunk %.2f s, %d rows found%n",
                ids.size(), chunks, (System.nanoTime() - start) / 1e9, slowest / 1e9, found[0]);
    }
}

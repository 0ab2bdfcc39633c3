package org.mediaoffload.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediaoffload.catalog.SynapseCatalogs;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.store.SynapseMediaStore;
import org.mediaoffload.testing.DatabaseConfigBuilder;

/**
 * What discovery's database plan costs on a store made by {@link StreamingStore}, against the plan it replaced
 * and the one issue 9 suggests, all on the same database:
 * <ol>
 *   <li>the walk alone (names, in key order);
 *   <li>the names-only count-ahead;
 *   <li>walk + chunked lookups as the run's discovery makes them (64 ids first, doubling to 16,384; remote ids
 *       looked up origin by origin);
 *   <li>one ordered cursor per origin ({@code ORDER BY filesystem_id}, every eligible row read), for comparison.
 * </ol>
 * Usage: {@code DiscoveryCost <media-dir> <database>}. Prints wall and CPU seconds of each.
 */
public final class DiscoveryCost {
    private DiscoveryCost() {}

    public static void main(String[] args) throws Exception {
        SynapseMediaStore store = new SynapseMediaStore(Path.of(args[0]));
        DatabaseConfig db = DatabaseConfigBuilder.postgresUrl(BenchDatabase.url(args[1]))
                .user(Optional.of(BenchDatabase.user())).fetchSize(1000).build();
        long[] n = {0};
        measure("walk alone", () -> store.walk(id -> n[0]++), () -> n[0] + " media");
        long[] counted = {0};
        measure("names-only count", () -> counted[0] = store.countMedia(), () -> counted[0] + " media");
        long[] found = {0};
        long[] lookups = {0};
        try (MediaCatalog catalog = SynapseCatalogs.open(db)) {
            measure("walk + chunked lookups", () -> {
                List<DiskMediaId> chunk = new ArrayList<>();
                int[] size = {64};
                store.walk(id -> {
                    chunk.add(id);
                    if (chunk.size() >= size[0]) {
                        catalog.eligibleAmong(Long.MAX_VALUE, true, chunk, row -> found[0]++);
                        lookups[0]++;
                        chunk.clear();
                        size[0] = Math.min(16_384, size[0] * 2);
                    }
                });
                catalog.eligibleAmong(Long.MAX_VALUE, true, chunk, row -> found[0]++);
                lookups[0]++;
            }, () -> found[0] + " eligible, " + lookups[0] + " chunks");
        }
        long[] cursorRows = {0};
        try (Connection c = BenchDatabase.connect(args[1])) {
            c.setAutoCommit(false);
            measure("ordered cursor per origin", () -> {
                List<String> origins = new ArrayList<>();
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT DISTINCT media_origin FROM remote_media_cache")) {
                    while (rs.next()) {
                        origins.add(rs.getString(1));
                    }
                }
                for (String origin : origins) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT media_origin, media_id, filesystem_id,"
                            + " media_length, COALESCE(last_access_ts, created_ts), quarantined_by"
                            + " FROM remote_media_cache WHERE media_origin = ? ORDER BY filesystem_id")) {
                        ps.setFetchSize(1000);
                        ps.setString(1, origin);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                cursorRows[0]++;
                            }
                        }
                    }
                    c.rollback();
                }
            }, () -> cursorRows[0] + " remote rows read");
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void measure(String what, Step step, java.util.function.Supplier<String> result)
            throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        step.run();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        System.out.printf("%-28s %8.2f s wall %8.2f s client CPU  %s%n", what, wall, cpu, result.get());
    }
}

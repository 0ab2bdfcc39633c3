package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.MediaRow;

/** {@link MediaCatalog} over JDBC for both engines; the engine differences live in the connection source and dialect. */
final class JdbcMediaCatalog implements MediaCatalog {

    /** Keys per re-read query: large enough to amortise the round trip, small enough for SQLite's parameter cap. */
    static final int REREAD_BATCH = 500;
    /** Ids per local eligibility lookup (the unique media_id index): fewer round trips than re-reads need. */
    static final int LOCAL_ELIGIBLE_BATCH = 2_000;
    /**
     * Ids per remote lookup. Each is one pass over its origin's rows (Synapse has no index on filesystem_id), so
     * batches are large: a run pays about (media on disk of the origin / this) passes over the origin.
     */
    static final int REMOTE_ELIGIBLE_BATCH = 20_000;

    private final CatalogSession session;
    private final CatalogDialect dialect;

    JdbcMediaCatalog(CatalogSession session, CatalogDialect dialect) {
        this.session = requireNonNull(session, "session is null");
        this.dialect = requireNonNull(dialect, "dialect is null");
    }

    @Override
    public void eligibleAmong(long cutoffMs, boolean includeRemote, Collection<DiskMediaId> onDisk,
            Consumer<MediaRow> sink) {
        requireNonNull(onDisk, "onDisk is null");
        requireNonNull(sink, "sink is null");
        List<String> local = new ArrayList<>();
        // Per origin, in the order first seen: the walk hands over one origin after the other.
        Map<String, List<String>> remote = new LinkedHashMap<>();
        for (DiskMediaId id : new LinkedHashSet<>(onDisk)) {
            if (id.kind() == MediaKind.LOCAL) {
                local.add(id.filesystemId());
            } else if (includeRemote) {
                remote.computeIfAbsent(id.origin(), o -> new ArrayList<>()).add(id.filesystemId());
            }
        }
        for (int i = 0; i < local.size(); i += LOCAL_ELIGIBLE_BATCH) {
            List<String> batch = local.subList(i, Math.min(local.size(), i + LOCAL_ELIGIBLE_BATCH));
            // Rows reach the sink only after the transaction ended: a slow consumer never holds a snapshot open
            // (on PostgreSQL that would pin vacuum; on SQLite, WAL checkpoints).
            List<MediaRow> rows = session.inTransaction(c -> rows(dialect.localEligible(c, batch, cutoffMs), false));
            rows.forEach(sink);
        }
        for (Map.Entry<String, List<String>> origin : remote.entrySet()) {
            List<String> ids = origin.getValue();
            for (int i = 0; i < ids.size(); i += REMOTE_ELIGIBLE_BATCH) {
                List<String> batch = ids.subList(i, Math.min(ids.size(), i + REMOTE_ELIGIBLE_BATCH));
                List<MediaRow> rows = session.inTransaction(
                        c -> rows(dialect.remoteEligible(c, origin.getKey(), batch, cutoffMs), true));
                rows.forEach(sink);
            }
        }
    }

    private static List<MediaRow> rows(PreparedStatement statement, boolean remote) throws SQLException {
        List<MediaRow> rows = new ArrayList<>();
        try (PreparedStatement ps = statement; ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                (remote ? MediaRows.remote(rs) : MediaRows.local(rs)).ifPresent(rows::add);
            }
        }
        return rows;
    }

    @Override
    public Map<MediaRef, MediaRow> reread(Collection<MediaRef> refs) {
        requireNonNull(refs, "refs is null");
        List<String> local = new ArrayList<>();
        List<MediaRef> remote = new ArrayList<>();
        for (MediaRef ref : new LinkedHashSet<>(refs)) {
            if (ref.kind() == MediaKind.LOCAL) {
                local.add(ref.mediaId());
            } else {
                remote.add(ref);
            }
        }
        Map<MediaRef, MediaRow> found = new HashMap<>();
        for (int i = 0; i < local.size(); i += REREAD_BATCH) {
            List<String> batch = local.subList(i, Math.min(local.size(), i + REREAD_BATCH));
            session.inTransaction(c -> collect(dialect.localReread(c, batch), false, found));
        }
        for (int i = 0; i < remote.size(); i += REREAD_BATCH) {
            List<MediaRef> batch = remote.subList(i, Math.min(remote.size(), i + REREAD_BATCH));
            session.inTransaction(c -> collect(dialect.remoteReread(c, batch), true, found));
        }
        return found;
    }

    @Override
    public void ping() {
        session.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1").close();
                st.executeQuery("SELECT media_id FROM local_media_repository WHERE 1 = 0").close();
            }
            return null;
        });
    }

    @Override
    public boolean listsAnyMedia() {
        return session.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                for (String table : new String[] {"local_media_repository", "remote_media_cache"}) {
                    try (ResultSet rs = st.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
                        if (rs.next()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        });
    }

    @Override
    public void close() {
        session.close();
    }

    private static Void collect(PreparedStatement statement, boolean remote, Map<MediaRef, MediaRow> into)
            throws SQLException {
        try (PreparedStatement ps = statement; ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Optional<MediaRow> row = remote ? MediaRows.remote(rs) : MediaRows.local(rs);
                row.ifPresent(r -> into.put(r.ref(), r));
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "MediaCatalog[" + session.describe() + "]";
    }
}

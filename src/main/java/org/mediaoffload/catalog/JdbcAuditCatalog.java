package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mediaoffload.audit.AuditCatalog;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.MediaRow;
import org.postgresql.PGStatement;

/**
 * {@link AuditCatalog} over JDBC. Media rows are paged on their unique keys (media_id; media_origin, media_id),
 * and each page reads the thumbnails of the same key range in the same short transaction (the thumbnail tables'
 * unique indexes start with those columns). Rows reach the sink only after the transaction ended.
 */
final class JdbcAuditCatalog implements AuditCatalog {

    private record Page(List<MediaEntry> media, List<ThumbnailEntry> thumbnails, int read, String lastOrigin,
            String lastMediaId) {}

    private final CatalogSession session;
    private final JdbcMediaCatalog rereads;
    private final int pageSize;
    private final boolean sha256;

    JdbcAuditCatalog(CatalogSession session, CatalogDialect dialect, MediaRows columns, int pageSize) {
        this.session = requireNonNull(session, "session is null");
        this.rereads = new JdbcMediaCatalog(session, dialect);
        this.pageSize = pageSize;
        this.sha256 = columns.hasSha256();
    }

    @Override
    public boolean hasSha256() {
        return sha256;
    }

    @Override
    public String describe() {
        return session.describe();
    }

    @Override
    public void scan(MediaKind kind, Sink sink) {
        requireNonNull(kind, "kind is null");
        requireNonNull(sink, "sink is null");
        if (kind == MediaKind.LOCAL) {
            scanLocal(sink);
        } else {
            scanRemote(sink);
        }
    }

    private void scanLocal(Sink sink) {
        String after = "";
        while (true) {
            String from = after;
            Page page = session.inTransaction(c -> localPage(c, from));
            page.media().forEach(sink::media);
            page.thumbnails().forEach(sink::thumbnail);
            if (page.read() < pageSize) {
                break;
            }
            after = page.lastMediaId();
        }
    }

    private void scanRemote(Sink sink) {
        String afterOrigin = "";
        String afterId = "";
        while (true) {
            String o = afterOrigin;
            String m = afterId;
            Page page = session.inTransaction(c -> remotePage(c, o, m));
            page.media().forEach(sink::media);
            page.thumbnails().forEach(sink::thumbnail);
            if (page.read() < pageSize) {
                break;
            }
            afterOrigin = page.lastOrigin();
            afterId = page.lastMediaId();
        }
    }

    private String sha256Column() {
        return sha256 ? "sha256" : "NULL AS sha256";
    }

    private Page localPage(Connection c, String after) throws SQLException {
        List<MediaEntry> media = new ArrayList<>();
        String last = after;
        try (PreparedStatement ps = c.prepareStatement("SELECT media_id, media_length, created_ts, url_cache, "
                + sha256Column() + " FROM local_media_repository WHERE media_id > ? ORDER BY media_id LIMIT ?")) {
            ps.setString(1, after);
            ps.setInt(2, pageSize);
            ps.setFetchSize(pageSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("media_id");
                    last = id;
                    media.add(new MediaEntry(MediaKind.LOCAL, "", id, id, longOrNull(rs, "media_length"),
                            longOrNull(rs, "created_ts"), rs.getString("url_cache") != null, rs.getString("sha256")));
                }
            }
        }
        List<ThumbnailEntry> thumbnails = new ArrayList<>();
        if (!media.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT media_id, thumbnail_width, thumbnail_height,"
                    + " thumbnail_type, thumbnail_method FROM local_media_repository_thumbnails"
                    + " WHERE media_id > ? AND media_id <= ?")) {
                ps.setString(1, after);
                ps.setString(2, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        thumbnails.add(new ThumbnailEntry(MediaKind.LOCAL, "", rs.getString("media_id"),
                                rs.getInt("thumbnail_width"), rs.getInt("thumbnail_height"),
                                rs.getString("thumbnail_type"), rs.getString("thumbnail_method")));
                    }
                }
            }
        }
        return new Page(media, thumbnails, media.size(), "", last);
    }

    private Page remotePage(Connection c, String afterOrigin, String afterId) throws SQLException {
        List<MediaEntry> media = new ArrayList<>();
        // Remote thumbnails live under the media's filesystem_id (Synapse builds their path from the media row).
        Map<MediaRef, String> filesystemIds = new HashMap<>();
        String lastOrigin = afterOrigin;
        String lastId = afterId;
        try (PreparedStatement ps = c.prepareStatement("SELECT media_origin, media_id, filesystem_id, media_length,"
                + " created_ts, " + sha256Column() + " FROM remote_media_cache"
                + " WHERE media_origin IS NOT NULL AND media_id IS NOT NULL AND (media_origin, media_id) > (?, ?)"
                + " ORDER BY media_origin, media_id LIMIT ?")) {
            ps.setString(1, afterOrigin);
            ps.setString(2, afterId);
            ps.setInt(3, pageSize);
            ps.setFetchSize(pageSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lastOrigin = rs.getString("media_origin");
                    lastId = rs.getString("media_id");
                    String fsId = rs.getString("filesystem_id");
                    media.add(new MediaEntry(MediaKind.REMOTE, lastOrigin, lastId, fsId,
                            longOrNull(rs, "media_length"), longOrNull(rs, "created_ts"), false,
                            rs.getString("sha256")));
                    if (fsId != null) {
                        filesystemIds.put(new MediaRef(MediaKind.REMOTE, lastOrigin, lastId), fsId);
                    }
                }
            }
        }
        List<ThumbnailEntry> thumbnails = new ArrayList<>();
        if (!media.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT media_origin, media_id, thumbnail_width,"
                    + " thumbnail_height, thumbnail_type, thumbnail_method FROM remote_media_cache_thumbnails"
                    + " WHERE (media_origin, media_id) > (?, ?) AND (media_origin, media_id) <= (?, ?)")) {
                ps.setString(1, afterOrigin);
                ps.setString(2, afterId);
                ps.setString(3, lastOrigin);
                ps.setString(4, lastId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String origin = rs.getString("media_origin");
                        String fsId = filesystemIds.get(new MediaRef(MediaKind.REMOTE, origin,
                                rs.getString("media_id")));
                        if (fsId != null) {
                            thumbnails.add(new ThumbnailEntry(MediaKind.REMOTE, origin, fsId,
                                    rs.getInt("thumbnail_width"), rs.getInt("thumbnail_height"),
                                    rs.getString("thumbnail_type"), rs.getString("thumbnail_method")));
                        }
                    }
                }
            }
        }
        return new Page(media, thumbnails, media.size(), lastOrigin, lastId);
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    @Override
    public Map<MediaRef, MediaRow> reread(Collection<MediaRef> refs) {
        return rereads.reread(refs);
    }

    @Override
    public Set<DiskMediaId> existing(Collection<DiskMediaId> media) {
        requireNonNull(media, "media is null");
        Map<String, List<String>> byOrigin = new LinkedHashMap<>();
        List<String> local = new ArrayList<>();
        for (DiskMediaId id : media) {
            if (id.kind() == MediaKind.LOCAL) {
                local.add(id.filesystemId());
            } else {
                byOrigin.computeIfAbsent(id.origin(), o -> new ArrayList<>()).add(id.filesystemId());
            }
        }
        Set<DiskMediaId> found = new HashSet<>();
        for (List<String> batch : batches(local)) {
            session.inTransaction(c -> lookUp(c, "SELECT media_id FROM local_media_repository WHERE media_id IN ",
                    null, batch, id -> found.add(new DiskMediaId(MediaKind.LOCAL, "", id))));
        }
        byOrigin.forEach((origin, ids) -> {
            for (List<String> batch : batches(ids)) {
                session.inTransaction(c -> lookUp(c, "SELECT filesystem_id FROM remote_media_cache"
                        + " WHERE media_origin = ? AND filesystem_id IN ", origin, batch,
                        id -> found.add(new DiskMediaId(MediaKind.REMOTE, origin, id))));
            }
        });
        return found;
    }

    /** Bound parameters per lookup: well under SQLite's and PostgreSQL's limits. */
    private static final int LOOKUP_BATCH = 500;

    private static List<List<String>> batches(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += LOOKUP_BATCH) {
            out.add(ids.subList(i, Math.min(ids.size(), i + LOOKUP_BATCH)));
        }
        return out;
    }

    private static Void lookUp(Connection c, String select, String origin, List<String> ids,
            java.util.function.Consumer<String> found) throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement(select + "(" + marks + ")")) {
            // As PostgresDialect.remoteEligible: a server-side prepared (generic) plan compares every row of an
            // origin with each of the ids in turn, instead of hashing the list it was planned with.
            if (ps.isWrapperFor(PGStatement.class)) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            int i = 1;
            if (origin != null) {
                ps.setString(i++, origin);
            }
            for (String id : ids) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.accept(rs.getString(1));
                }
            }
        }
        return null;
    }

    @Override
    public void ping() {
        rereads.ping();
    }

    @Override
    public long connectionLosses() {
        return session.connectionLosses();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "AuditCatalog[" + session.describe() + "]";
    }
}

package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mediaoffload.pipeline.MediaRow;

/**
 * Streams the eligible rows of one table in pages ordered by its unique key. Each page is read in its own
 * transaction and handed to the sink only after that transaction has ended, so a slow consumer never holds a
 * snapshot open (on PostgreSQL that would pin vacuum; on SQLite, WAL checkpoints).
 */
final class KeysetScan {

    static String localPage(MediaRows columns) {
        return "SELECT " + columns.local() + " FROM local_media_repository"
                + " WHERE url_cache IS NULL AND COALESCE(last_access_ts, created_ts) < ? AND media_id > ?"
                + " ORDER BY media_id LIMIT ?";
    }

    /** Rows with a NULL key column cannot be paged past (nor mapped to a file), so they are left out here. */
    static String remotePage(MediaRows columns) {
        return "SELECT " + columns.remote("") + " FROM remote_media_cache"
                + " WHERE COALESCE(last_access_ts, created_ts) < ?"
                + " AND media_origin IS NOT NULL AND media_id IS NOT NULL AND (media_origin, media_id) > (?, ?)"
                + " ORDER BY media_origin, media_id LIMIT ?";
    }

    /** One page: the mappable rows, the key of the last row read, and how many rows could not be mapped. */
    private record Page(List<MediaRow> rows, int read, String lastOrigin, String lastMediaId, int unmappable) {}

    private final CatalogSession session;
    private final int pageSize;
    private final String localPage;
    private final String remotePage;

    KeysetScan(CatalogSession session, MediaRows columns, int pageSize) {
        this.session = requireNonNull(session, "session is null");
        this.pageSize = pageSize;
        this.localPage = localPage(columns);
        this.remotePage = remotePage(columns);
    }

    /** @return the number of eligible rows that could not be mapped and were skipped */
    int local(long cutoffMs, Consumer<MediaRow> sink) {
        return run(sink, "", "", (c, origin, mediaId) -> {
            try (PreparedStatement ps = c.prepareStatement(localPage)) {
                ps.setLong(1, cutoffMs);
                ps.setString(2, mediaId);
                ps.setInt(3, pageSize);
                return read(ps, false);
            }
        });
    }

    /** @return the number of eligible rows that could not be mapped and were skipped */
    int remote(long cutoffMs, Consumer<MediaRow> sink) {
        return run(sink, "", "", (c, origin, mediaId) -> {
            try (PreparedStatement ps = c.prepareStatement(remotePage)) {
                ps.setLong(1, cutoffMs);
                ps.setString(2, origin);
                ps.setString(3, mediaId);
                ps.setInt(4, pageSize);
                return read(ps, true);
            }
        });
    }

    private interface PageQuery {
        Page fetch(Connection connection, String afterOrigin, String afterMediaId) throws SQLException;
    }

    private int run(Consumer<MediaRow> sink, String startOrigin, String startMediaId, PageQuery query) {
        String origin = startOrigin;
        String mediaId = startMediaId;
        int unmappable = 0;
        while (true) {
            String afterOrigin = origin;
            String afterMediaId = mediaId;
            Page page = session.inTransaction(c -> query.fetch(c, afterOrigin, afterMediaId));
            unmappable += page.unmappable();
            page.rows().forEach(sink);
            if (page.read() < pageSize) {
                return unmappable;
            }
            origin = page.lastOrigin();
            mediaId = page.lastMediaId();
        }
    }

    private Page read(PreparedStatement ps, boolean remote) throws SQLException {
        ps.setFetchSize(pageSize);
        List<MediaRow> rows = new ArrayList<>(pageSize);
        int read = 0;
        int unmappable = 0;
        String lastOrigin = "";
        String lastMediaId = "";
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                read++;
                lastOrigin = remote ? rs.getString("media_origin") : "";
                lastMediaId = rs.getString("media_id");
                var row = remote ? MediaRows.remote(rs) : MediaRows.local(rs);
                if (row.isPresent()) {
                    rows.add(row.get());
                } else {
                    unmappable++;
                }
            }
        }
        return new Page(rows, read, lastOrigin, lastMediaId, unmappable);
    }
}

package org.mediaoffload.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import org.mediaoffload.pipeline.MediaRef;

/**
 * SQLite has no arrays: an IN list of placeholders, and for the two-column remote key a VALUES list joined to
 * the table ({@code (a, b) IN (VALUES ...)} would make SQLite scan the whole index once per batch).
 */
final class SqliteDialect implements CatalogDialect {

    private final MediaRows columns;

    SqliteDialect(MediaRows columns) {
        this.columns = columns;
    }

    @Override
    public PreparedStatement localReread(Connection connection, List<String> mediaIds) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(localSql(mediaIds.size()));
        for (int i = 0; i < mediaIds.size(); i++) {
            ps.setString(i + 1, mediaIds.get(i));
        }
        return ps;
    }

    @Override
    public PreparedStatement remoteReread(Connection connection, List<MediaRef> refs) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(remoteSql(refs.size()));
        for (int i = 0; i < refs.size(); i++) {
            ps.setString(2 * i + 1, refs.get(i).origin());
            ps.setString(2 * i + 2, refs.get(i).mediaId());
        }
        return ps;
    }

    @Override
    public PreparedStatement localEligible(Connection connection, List<String> mediaIds, long cutoffMs)
            throws SQLException {
        PreparedStatement ps = connection.prepareStatement(localSql(mediaIds.size())
                + " AND url_cache IS NULL AND COALESCE(last_access_ts, created_ts) < ?");
        for (int i = 0; i < mediaIds.size(); i++) {
            ps.setString(i + 1, mediaIds.get(i));
        }
        ps.setLong(mediaIds.size() + 1, cutoffMs);
        return ps;
    }

    /** One origin's rows through the unique index's prefix; SQLite matches an IN list through a temporary index. */
    @Override
    public PreparedStatement remoteEligible(Connection connection, String origin, List<String> filesystemIds,
            long cutoffMs) throws SQLException {
        PreparedStatement ps = connection.prepareStatement("SELECT " + columns.remote("")
                + " FROM remote_media_cache WHERE media_origin = ? AND filesystem_id IN ("
                + String.join(", ", Collections.nCopies(filesystemIds.size(), "?")) + ")"
                + " AND COALESCE(last_access_ts, created_ts) < ? AND media_id IS NOT NULL");
        ps.setString(1, origin);
        for (int i = 0; i < filesystemIds.size(); i++) {
            ps.setString(i + 2, filesystemIds.get(i));
        }
        ps.setLong(filesystemIds.size() + 2, cutoffMs);
        return ps;
    }

    String localSql(int keys) {
        return "SELECT " + columns.local() + " FROM local_media_repository WHERE media_id IN ("
                + String.join(", ", Collections.nCopies(keys, "?")) + ")";
    }

    /** CROSS JOIN fixes the join order in SQLite: walk the keys, look each up in the unique index. */
    String remoteSql(int keys) {
        return "WITH k(media_origin, media_id) AS (VALUES "
                + String.join(", ", Collections.nCopies(keys, "(?, ?)")) + ")"
                + " SELECT " + columns.remote("r.") + " FROM k CROSS JOIN remote_media_cache r"
                + " ON r.media_origin = k.media_origin AND r.media_id = k.media_id";
    }
}

package org.mediaoffload.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;

/**
 * The columns both engines select, and how a result row becomes a {@link MediaRow}. A row that cannot be
 * mapped to a file (no key, no filesystem_id, no timestamp) maps to empty.
 */
final class MediaRows {

    static final String LOCAL_COLUMNS =
            "media_id, media_length, COALESCE(last_access_ts, created_ts) AS last_used_ts, quarantined_by";
    static final String REMOTE_COLUMNS = "media_origin, media_id, filesystem_id, media_length,"
            + " COALESCE(last_access_ts, created_ts) AS last_used_ts, quarantined_by";

    private MediaRows() {}

    static Optional<MediaRow> local(ResultSet rs) throws SQLException {
        String mediaId = rs.getString("media_id");
        OptionalLong length = length(rs);
        long lastUsed = rs.getLong("last_used_ts");
        boolean noTimestamp = rs.wasNull();
        boolean quarantined = rs.getString("quarantined_by") != null;
        if (mediaId == null || noTimestamp) {
            return Optional.empty();
        }
        return Optional.of(new MediaRow(MediaKind.LOCAL, "", mediaId, mediaId, length, lastUsed, quarantined));
    }

    static Optional<MediaRow> remote(ResultSet rs) throws SQLException {
        String origin = rs.getString("media_origin");
        String mediaId = rs.getString("media_id");
        String filesystemId = rs.getString("filesystem_id");
        OptionalLong length = length(rs);
        long lastUsed = rs.getLong("last_used_ts");
        boolean noTimestamp = rs.wasNull();
        boolean quarantined = rs.getString("quarantined_by") != null;
        if (origin == null || mediaId == null || filesystemId == null || noTimestamp) {
            return Optional.empty();
        }
        return Optional.of(
                new MediaRow(MediaKind.REMOTE, origin, mediaId, filesystemId, length, lastUsed, quarantined));
    }

    private static OptionalLong length(ResultSet rs) throws SQLException {
        long length = rs.getLong("media_length");
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(length);
    }
}

package org.mediaoffload.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import org.mediaoffload.pipeline.MediaRef;

/** SQLite has no arrays: an IN list of placeholders (row values for the two-column remote key). */
final class SqliteDialect implements CatalogDialect {

    @Override
    public PreparedStatement localReread(Connection connection, List<String> mediaIds) throws SQLException {
        String sql = "SELECT " + MediaRows.LOCAL_COLUMNS + " FROM local_media_repository WHERE media_id IN ("
                + String.join(", ", Collections.nCopies(mediaIds.size(), "?")) + ")";
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < mediaIds.size(); i++) {
            ps.setString(i + 1, mediaIds.get(i));
        }
        return ps;
    }

    @Override
    public PreparedStatement remoteReread(Connection connection, List<MediaRef> refs) throws SQLException {
        String sql = "SELECT " + MediaRows.REMOTE_COLUMNS + " FROM remote_media_cache"
                + " WHERE (media_origin, media_id) IN (VALUES "
                + String.join(", ", Collections.nCopies(refs.size(), "(?, ?)")) + ")";
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < refs.size(); i++) {
            ps.setString(2 * i + 1, refs.get(i).origin());
            ps.setString(2 * i + 2, refs.get(i).mediaId());
        }
        return ps;
    }
}

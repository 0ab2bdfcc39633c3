package org.mediaoffload.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.mediaoffload.pipeline.MediaRef;

/** One array parameter per key column: a single plan whatever the batch size, and the unique indexes apply. */
final class PostgresDialect implements CatalogDialect {

    private static final String LOCAL = "SELECT " + MediaRows.LOCAL_COLUMNS
            + " FROM local_media_repository WHERE media_id = ANY(?)";
    private static final String REMOTE = "SELECT r.media_origin, r.media_id, r.filesystem_id, r.media_length,"
            + " COALESCE(r.last_access_ts, r.created_ts) AS last_used_ts, r.quarantined_by"
            + " FROM remote_media_cache r"
            + " JOIN unnest(?::text[], ?::text[]) AS k(media_origin, media_id)"
            + " ON r.media_origin = k.media_origin AND r.media_id = k.media_id";

    /** The scan's eligibility rule (KeysetScan.LOCAL_PAGE), looked up on the unique media_id index. */
    private static final String LOCAL_ELIGIBLE = "SELECT " + MediaRows.LOCAL_COLUMNS
            + " FROM local_media_repository WHERE media_id = ANY(?)"
            + " AND url_cache IS NULL AND COALESCE(last_access_ts, created_ts) < ?";
    /** One origin's rows (the unique index's prefix), the ids matched as a hashed array. */
    private static final String REMOTE_ELIGIBLE = "SELECT " + MediaRows.REMOTE_COLUMNS
            + " FROM remote_media_cache WHERE media_origin = ? AND filesystem_id = ANY(?)"
            + " AND COALESCE(last_access_ts, created_ts) < ? AND media_id IS NOT NULL";

    @Override
    public PreparedStatement localEligible(Connection connection, List<String> mediaIds, long cutoffMs)
            throws SQLException {
        PreparedStatement ps = connection.prepareStatement(LOCAL_ELIGIBLE);
        ps.setArray(1, connection.createArrayOf("text", mediaIds.toArray()));
        ps.setLong(2, cutoffMs);
        return ps;
    }

    @Override
    public PreparedStatement remoteEligible(Connection connection, String origin, List<String> filesystemIds,
            long cutoffMs) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(REMOTE_ELIGIBLE);
        ps.setString(1, origin);
        ps.setArray(2, connection.createArrayOf("text", filesystemIds.toArray()));
        ps.setLong(3, cutoffMs);
        return ps;
    }

    @Override
    public PreparedStatement localReread(Connection connection, List<String> mediaIds) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(LOCAL);
        ps.setArray(1, connection.createArrayOf("text", mediaIds.toArray()));
        return ps;
    }

    @Override
    public PreparedStatement remoteReread(Connection connection, List<MediaRef> refs) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(REMOTE);
        ps.setArray(1, connection.createArrayOf("text", refs.stream().map(MediaRef::origin).toArray()));
        ps.setArray(2, connection.createArrayOf("text", refs.stream().map(MediaRef::mediaId).toArray()));
        return ps;
    }
}

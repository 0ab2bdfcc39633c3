package org.mediaoffload.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaRef;

/** One array parameter per key column: a single plan whatever the batch size, and the unique indexes apply. */
final class PostgresDialect implements CatalogDialect {

    private final String local;
    private final String remote;
    /** The scan's eligibility rule (KeysetScan.localPage), looked up on the unique media_id index. */
    private final String localEligible;
    /**
     * Synapse has no index on filesystem_id: one hash join of the whole key array against one pass over the
     * table, rather than a pass per key.
     */
    private final String remoteEligible;

    PostgresDialect(MediaRows columns) {
        local = "SELECT " + columns.local() + " FROM local_media_repository WHERE media_id = ANY(?)";
        remote = "SELECT " + columns.remote("r.") + " FROM remote_media_cache r"
                + " JOIN unnest(?::text[], ?::text[]) AS k(media_origin, media_id)"
                + " ON r.media_origin = k.media_origin AND r.media_id = k.media_id";
        localEligible = local + " AND url_cache IS NULL AND COALESCE(last_access_ts, created_ts) < ?";
        remoteEligible = "SELECT " + columns.remote("r.") + " FROM remote_media_cache r"
                + " JOIN unnest(?::text[], ?::text[]) AS k(media_origin, filesystem_id)"
                + " ON r.media_origin = k.media_origin AND r.filesystem_id = k.filesystem_id"
                + " WHERE COALESCE(r.last_access_ts, r.created_ts) < ? AND r.media_id IS NOT NULL";
    }

    @Override
    public PreparedStatement localEligible(Connection connection, List<String> mediaIds, long cutoffMs)
            throws SQLException {
        PreparedStatement ps = connection.prepareStatement(localEligible);
        ps.setArray(1, connection.createArrayOf("text", mediaIds.toArray()));
        ps.setLong(2, cutoffMs);
        return ps;
    }

    @Override
    public PreparedStatement remoteEligible(Connection connection, List<DiskMediaId> ids, long cutoffMs)
            throws SQLException {
        PreparedStatement ps = connection.prepareStatement(remoteEligible);
        ps.setArray(1, connection.createArrayOf("text", ids.stream().map(DiskMediaId::origin).toArray()));
        ps.setArray(2, connection.createArrayOf("text", ids.stream().map(DiskMediaId::filesystemId).toArray()));
        ps.setLong(3, cutoffMs);
        return ps;
    }

    @Override
    public PreparedStatement localReread(Connection connection, List<String> mediaIds) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(local);
        ps.setArray(1, connection.createArrayOf("text", mediaIds.toArray()));
        return ps;
    }

    @Override
    public PreparedStatement remoteReread(Connection connection, List<MediaRef> refs) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(remote);
        ps.setArray(1, connection.createArrayOf("text", refs.stream().map(MediaRef::origin).toArray()));
        ps.setArray(2, connection.createArrayOf("text", refs.stream().map(MediaRef::mediaId).toArray()));
        return ps;
    }
}

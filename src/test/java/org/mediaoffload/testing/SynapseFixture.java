package org.mediaoffload.testing;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;

/**
 * Writes media rows the way Synapse does, on either engine, through a read-write JDBC connection (a test's own,
 * never the catalog's). Columns the offloader does not read get plausible values so rows look like Synapse's.
 */
public final class SynapseFixture {

    /** A local_media_repository row; nullable fields are the columns Synapse leaves NULL. */
    public record LocalMedia(String mediaId, Long mediaLength, long createdTs, Long lastAccessTs, String urlCache,
            String quarantinedBy) {}

    /** A remote_media_cache row. */
    public record RemoteMedia(String origin, String mediaId, String filesystemId, Long mediaLength, long createdTs,
            Long lastAccessTs, String quarantinedBy) {}

    private static final String INSERT_LOCAL = "INSERT INTO local_media_repository (media_id, media_type,"
            + " media_length, created_ts, upload_name, user_id, quarantined_by, url_cache, last_access_ts)"
            + " VALUES (?, 'image/png', ?, ?, 'cat.png', '@alice:example.org', ?, ?, ?)";
    private static final String INSERT_REMOTE = "INSERT INTO remote_media_cache (media_origin, media_id,"
            + " media_type, created_ts, upload_name, media_length, filesystem_id, last_access_ts, quarantined_by)"
            + " VALUES (?, ?, 'image/jpeg', ?, NULL, ?, ?, ?, ?)";
    private static final int BATCH = 1000;

    private final Connection connection;

    public SynapseFixture(Connection connection) {
        this.connection = requireNonNull(connection, "connection is null");
    }

    public void insertLocal(String mediaId, Long mediaLength, long createdTs, Long lastAccessTs, String urlCache,
            String quarantinedBy) throws SQLException {
        insertLocals(List.of(new LocalMedia(mediaId, mediaLength, createdTs, lastAccessTs, urlCache, quarantinedBy)));
    }

    public void insertRemote(String origin, String mediaId, String filesystemId, Long mediaLength, long createdTs,
            Long lastAccessTs, String quarantinedBy) throws SQLException {
        insertRemotes(List.of(
                new RemoteMedia(origin, mediaId, filesystemId, mediaLength, createdTs, lastAccessTs, quarantinedBy)));
    }

    /** Many rows in batched statements inside one transaction (for scale tests). */
    public void insertLocals(Iterable<LocalMedia> rows) throws SQLException {
        insertBatched(INSERT_LOCAL, rows, (ps, row) -> {
            ps.setString(1, row.mediaId());
            setLong(ps, 2, row.mediaLength());
            ps.setLong(3, row.createdTs());
            ps.setString(4, row.quarantinedBy());
            ps.setString(5, row.urlCache());
            setLong(ps, 6, row.lastAccessTs());
        });
    }

    /** Many rows in batched statements inside one transaction (for scale tests). */
    public void insertRemotes(Iterable<RemoteMedia> rows) throws SQLException {
        insertBatched(INSERT_REMOTE, rows, (ps, row) -> {
            ps.setString(1, row.origin());
            ps.setString(2, row.mediaId());
            ps.setLong(3, row.createdTs());
            setLong(ps, 4, row.mediaLength());
            ps.setString(5, row.filesystemId());
            setLong(ps, 6, row.lastAccessTs());
            ps.setString(7, row.quarantinedBy());
        });
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private <T> void insertBatched(String sql, Iterable<T> rows, Binder<T> binder) throws SQLException {
        inTransaction(() -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                int pending = 0;
                for (T row : rows) {
                    binder.bind(ps, row);
                    ps.addBatch();
                    if (++pending == BATCH) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
                ps.executeBatch();
            }
        });
    }

    /** Sets last_access_ts, as Synapse does when the media is downloaded or thumbnailed. */
    public void touch(MediaRef ref, long lastAccessTs) throws SQLException {
        if (ref.kind() == MediaKind.LOCAL) {
            update("UPDATE local_media_repository SET last_access_ts = ? WHERE media_id = ?",
                    lastAccessTs, ref.mediaId());
        } else {
            update("UPDATE remote_media_cache SET last_access_ts = ? WHERE media_origin = ? AND media_id = ?",
                    lastAccessTs, ref.origin(), ref.mediaId());
        }
    }

    public void deleteLocal(String mediaId) throws SQLException {
        update("DELETE FROM local_media_repository WHERE media_id = ?", mediaId);
    }

    public void deleteRemote(String origin, String mediaId) throws SQLException {
        update("DELETE FROM remote_media_cache WHERE media_origin = ? AND media_id = ?", origin, mediaId);
    }

    /** Runs any statement with positional parameters, e.g. to set a column to NULL that Synapse rarely does. */
    public void update(String sql, Object... params) throws SQLException {
        inTransaction(() -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                ps.executeUpdate();
            }
        });
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** One transaction per call: fast for SQLite bulk inserts, and visible to other connections on return. */
    private void inTransaction(Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}

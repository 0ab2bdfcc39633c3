package org.mediaoffload.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;

/**
 * The columns every query that makes a {@link MediaRow} selects, and how a result row becomes one. A row that cannot
 * be mapped to a file (no key, no filesystem_id, no timestamp) maps to empty.
 *
 * <p>Synapse 1.128 added {@code sha256} to both media tables; {@link SchemaCheck} finds out once per catalog whether
 * the database has it. Without it the column lists select {@code NULL AS sha256}, so the mapping and every query
 * stay the same on either schema.
 */
final class MediaRows {

    private final boolean sha256;

    /** @param sha256 the database's media tables have Synapse's {@code sha256} column */
    MediaRows(boolean sha256) {
        this.sha256 = sha256;
    }

    boolean hasSha256() {
        return sha256;
    }

    /** The local_media_repository columns {@link #local(ResultSet)} reads. */
    String local() {
        return "media_id, media_length, COALESCE(last_access_ts, created_ts) AS last_used_ts, quarantined_by, "
                + hash("");
    }

    /** The remote_media_cache columns {@link #remote(ResultSet)} reads, each qualified by {@code alias} ("" or "r."). */
    String remote(String alias) {
        return alias + "media_origin, " + alias + "media_id, " + alias + "filesystem_id, " + alias + "media_length,"
                + " COALESCE(" + alias + "last_access_ts, " + alias + "created_ts) AS last_used_ts, "
                + alias + "quarantined_by, " + hash(alias);
    }

    private String hash(String alias) {
        return sha256 ? alias + "sha256 AS sha256" : "NULL AS sha256";
    }

    static Optional<MediaRow> local(ResultSet rs) throws SQLException {
        String mediaId = rs.getString("media_id");
        OptionalLong length = length(rs);
        long lastUsed = rs.getLong("last_used_ts");
        boolean noTimestamp = rs.wasNull();
        boolean quarantined = rs.getString("quarantined_by") != null;
        if (mediaId == null || noTimestamp) {
            return Optional.empty();
        }
        return Optional.of(
                new MediaRow(MediaKind.LOCAL, "", mediaId, mediaId, length, lastUsed, quarantined, sha256(rs)));
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
        return Optional.of(new MediaRow(MediaKind.REMOTE, origin, mediaId, filesystemId, length, lastUsed,
                quarantined, sha256(rs)));
    }

    private static OptionalLong length(ResultSet rs) throws SQLException {
        long length = rs.getLong("media_length");
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(length);
    }

    /**
     * Synapse writes lowercase hex; anything else (an empty string, another tool's value) is not a hash we can
     * compare with, and is read as none rather than failing every upload of that media.
     */
    private static Optional<String> sha256(ResultSet rs) throws SQLException {
        String value = rs.getString("sha256");
        if (value == null) {
            return Optional.empty();
        }
        String hex = value.trim().toLowerCase(Locale.ROOT);
        return hex.length() == 64 && hex.chars().allMatch(HexFormat::isHexDigit)
                ? Optional.of(hex)
                : Optional.empty();
    }
}

package org.mediaoffload.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.mediaoffload.pipeline.UploadProof;

/**
 * SQL for the upload proofs (see {@link UploadProof}): one row per key, the last acknowledged upload. Not purged
 * with old file rows: a missing proof costs one upload again, never a deletion. Callers hold the journal's lock.
 */
final class ProofTable {

    private static final String UPSERT = """
            INSERT INTO upload_proofs (key, target, md5, etag, size, last_modified, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET
                target = excluded.target, md5 = excluded.md5, etag = excluded.etag, size = excluded.size,
                last_modified = excluded.last_modified, recorded_at = excluded.recorded_at
            """;

    private ProofTable() {}

    static void upsert(Connection c, Collection<UploadProof> proofs, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (UploadProof p : proofs) {
                ps.setString(1, p.key());
                ps.setString(2, p.target());
                ps.setString(3, p.md5Hex());
                ps.setString(4, p.eTag());
                ps.setLong(5, p.size());
                ps.setLong(6, p.lastModified().getEpochSecond());
                ps.setLong(7, now.toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static Optional<UploadProof> get(Connection c, String key, String target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT md5, etag, size, last_modified FROM upload_proofs WHERE key = ? AND target = ?")) {
            ps.setString(1, key);
            ps.setString(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new UploadProof(key, target, rs.getString(1), rs.getString(2), rs.getLong(3),
                        Instant.ofEpochSecond(rs.getLong(4))));
            }
        }
    }

    /** Every proof, whatever its target: after an intended move to another target none of them may be trusted. */
    static int deleteAll(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM upload_proofs")) {
            return ps.executeUpdate();
        }
    }
}

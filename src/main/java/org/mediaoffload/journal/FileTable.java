package org.mediaoffload.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mediaoffload.pipeline.FileEvent;
import org.mediaoffload.pipeline.FileState;
import org.mediaoffload.pipeline.JournalEntry;

/** SQL for the per-file journal. Callers hold the journal's lock and own the transaction. */
final class FileTable {

    /** Well below SQLite's bound-parameter limit, and large enough that a 10k-key lookup is 20 queries. */
    static final int LOOKUP_CHUNK = 500;

    /*
     * Idempotent upsert. A new upload starts a new cycle (a re-appeared file, upstream #63), so it clears the
     * verified/deleted times; FAILED and SKIPPED keep the times of what did happen. The MD5 is kept only while
     * it can still describe the file (same size) and no new one was given.
     */
    private static final String UPSERT = """
            INSERT INTO files (key, relative_path, state, size, mtime_ms, md5, run_id,
                               uploaded_at, verified_at, deleted_at, error, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET
                relative_path = excluded.relative_path,
                state = excluded.state,
                md5 = CASE WHEN excluded.md5 IS NOT NULL THEN excluded.md5
                           WHEN excluded.size = files.size THEN files.md5 END,
                size = excluded.size,
                mtime_ms = excluded.mtime_ms,
                run_id = excluded.run_id,
                uploaded_at = CASE WHEN excluded.state = 'UPLOADED' THEN excluded.uploaded_at
                                   ELSE files.uploaded_at END,
                verified_at = CASE WHEN excluded.state = 'VERIFIED' THEN excluded.verified_at
                                   WHEN excluded.state = 'UPLOADED' THEN NULL
                                   ELSE files.verified_at END,
                deleted_at = CASE WHEN excluded.state = 'DELETED' THEN excluded.deleted_at
                                  WHEN excluded.state IN ('UPLOADED', 'VERIFIED') THEN NULL
                                  ELSE files.deleted_at END,
                error = excluded.error,
                updated_at = excluded.updated_at
            """;

    private FileTable() {}

    static void upsert(Connection c, Collection<FileEvent> events, Instant now) throws SQLException {
        long nowMs = now.toEpochMilli();
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (FileEvent e : events) {
                int i = 0;
                ps.setString(++i, e.key());
                ps.setString(++i, e.relativePath());
                ps.setString(++i, e.state().name());
                ps.setLong(++i, e.size());
                ps.setLong(++i, e.mtimeMs());
                setOptional(ps, ++i, e.md5Hex());
                ps.setLong(++i, e.runId());
                setTimeIf(ps, ++i, e.state() == FileState.UPLOADED, nowMs);
                setTimeIf(ps, ++i, e.state() == FileState.VERIFIED, nowMs);
                setTimeIf(ps, ++i, e.state() == FileState.DELETED, nowMs);
                setOptional(ps, ++i, e.error());
                ps.setLong(++i, nowMs);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static Map<String, JournalEntry> lookup(Connection c, Collection<String> keys) throws SQLException {
        List<String> all = new ArrayList<>(keys);
        Map<String, JournalEntry> found = new HashMap<>();
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT key, state, size, md5, updated_at FROM files WHERE key IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JournalEntry entry = map(rs);
                        found.put(entry.key(), entry);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Forgets every file row: after a change of target, "uploaded", "verified" and "deleted" describe objects in
     * another bucket, prefix or key, and the keys themselves carry the old prefix. Returns the rows removed.
     */
    static int voidAll(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM files")) {
            return ps.executeUpdate();
        }
    }

    static int purge(Connection c, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM files WHERE updated_at < ?")) {
            ps.setLong(1, cutoff.toEpochMilli());
            return ps.executeUpdate();
        }
    }

    private static JournalEntry map(ResultSet rs) throws SQLException {
        String state = rs.getString("state");
        FileState parsed;
        try {
            parsed = FileState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new JournalException("state database holds an unknown file state '" + state + "'", e);
        }
        return new JournalEntry(rs.getString("key"), parsed, rs.getLong("size"),
                Optional.ofNullable(rs.getString("md5")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static void setOptional(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    private static void setTimeIf(PreparedStatement ps, int index, boolean set, long ms) throws SQLException {
        if (set) {
            ps.setLong(index, ms);
        } else {
            ps.setNull(index, Types.INTEGER);
        }
    }
}

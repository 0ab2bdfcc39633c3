package org.mediaoffload.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;

/** SQL for the runs table. Callers hold the journal's lock; times are stored as epoch milliseconds. */
final class RunTable {

    private static final String COLUMNS = "id, trigger, dry_run, status, started_at, ended_at, media_scanned,"
            + " media_skipped, files_uploaded, bytes_uploaded, files_already_in_store, files_deleted, bytes_freed,"
            + " files_failed, files_skipped, backlog_files, backlog_bytes, errors";

    static final String ABANDONED = "the process stopped before this run finished (crash, kill or power loss)";

    private RunTable() {}

    static long insertRunning(Connection c, Instant startedAt, String trigger, boolean dryRun) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO runs (trigger, dry_run, status, started_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, trigger);
            ps.setInt(2, dryRun ? 1 : 0);
            ps.setString(3, RunStatus.RUNNING.name());
            ps.setLong(4, startedAt.toEpochMilli());
            ps.executeUpdate();
        }
        // Safe: the journal has a single connection and callers hold its lock.
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Upsert, so the figures are kept even if the RUNNING row was purged meanwhile. */
    static void storeFinished(Connection c, RunSummary s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET trigger = excluded.trigger, dry_run = excluded.dry_run,"
                + " status = excluded.status, started_at = excluded.started_at, ended_at = excluded.ended_at,"
                + " media_scanned = excluded.media_scanned, media_skipped = excluded.media_skipped,"
                + " files_uploaded = excluded.files_uploaded, bytes_uploaded = excluded.bytes_uploaded,"
                + " files_already_in_store = excluded.files_already_in_store,"
                + " files_deleted = excluded.files_deleted, bytes_freed = excluded.bytes_freed,"
                + " files_failed = excluded.files_failed, files_skipped = excluded.files_skipped,"
                + " backlog_files = excluded.backlog_files, backlog_bytes = excluded.backlog_bytes,"
                + " errors = excluded.errors")) {
            int i = 0;
            ps.setLong(++i, s.runId());
            ps.setString(++i, s.trigger());
            ps.setInt(++i, s.dryRun() ? 1 : 0);
            ps.setString(++i, s.status().name());
            ps.setLong(++i, s.startedAt().toEpochMilli());
            if (s.endedAt() == null) {
                ps.setNull(++i, Types.INTEGER);
            } else {
                ps.setLong(++i, s.endedAt().toEpochMilli());
            }
            for (long counter : new long[] {s.mediaScanned(), s.mediaSkipped(), s.filesUploaded(),
                    s.bytesUploaded(), s.filesAlreadyInStore(), s.filesDeleted(), s.bytesFreed(), s.filesFailed(),
                    s.filesSkipped(), s.backlogFiles(), s.backlogBytes()}) {
                ps.setLong(++i, counter);
            }
            ps.setString(++i, encodeErrors(s.errors()));
            ps.executeUpdate();
        }
    }

    static int abandonRunning(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, ended_at = ?,"
                + " errors = CASE WHEN errors = '' THEN ? ELSE errors || char(10) || ? END WHERE status = ?")) {
            ps.setString(1, RunStatus.ABORTED.name());
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, ABANDONED);
            ps.setString(4, ABANDONED);
            ps.setString(5, RunStatus.RUNNING.name());
            return ps.executeUpdate();
        }
    }

    /** Newest first; {@code whereClause} is one of our constants, values are bound. */
    static List<RunSummary> select(Connection c, String whereClause, List<String> args, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM runs " + whereClause + " ORDER BY id DESC LIMIT ?")) {
            int i = 0;
            for (String arg : args) {
                ps.setString(++i, arg);
            }
            ps.setInt(++i, limit);
            List<RunSummary> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(map(rs));
                }
            }
            return runs;
        }
    }

    /**
     * Removes finished runs that ended before the cutoff, except the most recent successful one (operators and
     * the admin API want "last success" even on a server that has been failing for weeks).
     */
    static int purge(Connection c, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM runs WHERE status <> ?"
                + " AND COALESCE(ended_at, started_at) < ?"
                + " AND id <> COALESCE((SELECT MAX(id) FROM runs WHERE status = ?), -1)")) {
            ps.setString(1, RunStatus.RUNNING.name());
            ps.setLong(2, cutoff.toEpochMilli());
            ps.setString(3, RunStatus.SUCCEEDED.name());
            return ps.executeUpdate();
        }
    }

    private static RunSummary map(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        long endedAt = rs.getLong("ended_at");
        Instant ended = rs.wasNull() ? null : Instant.ofEpochMilli(endedAt);
        return new RunSummary(
                rs.getLong("id"),
                rs.getString("trigger"),
                rs.getInt("dry_run") != 0,
                parseStatus(status),
                Instant.ofEpochMilli(rs.getLong("started_at")),
                ended,
                rs.getLong("media_scanned"),
                rs.getLong("media_skipped"),
                rs.getLong("files_uploaded"),
                rs.getLong("bytes_uploaded"),
                rs.getLong("files_already_in_store"),
                rs.getLong("files_deleted"),
                rs.getLong("bytes_freed"),
                rs.getLong("files_failed"),
                rs.getLong("files_skipped"),
                rs.getLong("backlog_files"),
                rs.getLong("backlog_bytes"),
                decodeErrors(rs.getString("errors")));
    }

    private static RunStatus parseStatus(String name) {
        try {
            return RunStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            // Only a newer release writes statuses we do not know, and it would have bumped user_version.
            throw new JournalException("state database holds an unknown run status '" + name + "'", e);
        }
    }

    /** One error per line; a line break inside an error would split it, so it becomes a space. */
    static String encodeErrors(List<String> errors) {
        if (errors == null) {
            return "";
        }
        return errors.stream().map(e -> e.replace('\r', ' ').replace('\n', ' ')).collect(Collectors.joining("\n"));
    }

    static List<String> decodeErrors(String text) {
        return text == null || text.isEmpty() ? List.of() : List.copyOf(Arrays.asList(text.split("\n", -1)));
    }
}

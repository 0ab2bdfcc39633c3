package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mediaoffload.journal.JournalException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audits' own SQLite file in the state dir ({@value #FILE_NAME}): each audit's report, and the acknowledged
 * baseline of media that were lost before this tool looked ({@code --acknowledge-lost}). Kept apart from the run
 * journal so neither's schema migrations wait for the other; both live under the same state-dir lock.
 */
public final class AuditJournal implements AutoCloseable {
    public static final String FILE_NAME = "audits.db";
    private static final int LOOKUP_CHUNK = 500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The key of its row in {@code since}: a keyed table, so another such date later needs no migration. */
    private static final String EXPECTED_SINCE = "audits_expected_since";

    private final Connection connection;
    private final Path file;
    private final Instant expectedSince;

    private AuditJournal(Connection connection, Path file, Instant expectedSince) {
        this.connection = connection;
        this.file = file;
        this.expectedSince = expectedSince;
    }

    public static AuditJournal open(Path stateDir) {
        return open(stateDir, Clock.systemUTC());
    }

    /** {@code clock} dates the {@link #expectedSince} record if this open is the first to write it. */
    public static AuditJournal open(Path stateDir, Clock clock) {
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(clock, "clock is null");
        Path file = stateDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(stateDir);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA busy_timeout = 5000");
                st.execute("CREATE TABLE IF NOT EXISTS audits (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " trigger TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER,"
                        + " status TEXT NOT NULL, report TEXT)");
                st.execute("CREATE TABLE IF NOT EXISTS acknowledged_lost (media TEXT PRIMARY KEY,"
                        + " acknowledged_at INTEGER NOT NULL) WITHOUT ROWID");
                // Only the orphans of the latest audits: bounded by the bucket's orphans, not by history.
                st.execute("CREATE TABLE IF NOT EXISTS orphans (key TEXT PRIMARY KEY, etag TEXT, size INTEGER NOT NULL,"
                        + " first_seen INTEGER NOT NULL, last_audit INTEGER NOT NULL, audits_seen INTEGER NOT NULL)"
                        + " WITHOUT ROWID");
                addColumn(st, "orphans", "media", "TEXT");
                addColumn(st, "orphans", "last_modified", "INTEGER");
                st.execute("CREATE INDEX IF NOT EXISTS orphans_by_media ON orphans (last_audit, media, key)");
                // Every object the reconcile deletes, written before the DeleteObjects is sent (state PENDING)
                // and settled after it: a kill between the two leaves the row, never a deletion without one.
                st.execute("CREATE TABLE IF NOT EXISTS deletions (audit_id INTEGER NOT NULL, key TEXT NOT NULL,"
                        + " size INTEGER NOT NULL, etag TEXT, last_modified INTEGER, state TEXT NOT NULL,"
                        + " at INTEGER NOT NULL, error TEXT, PRIMARY KEY (audit_id, key)) WITHOUT ROWID");
                st.execute("CREATE TABLE IF NOT EXISTS since (what TEXT PRIMARY KEY, at INTEGER NOT NULL)"
                        + " WITHOUT ROWID");
            }
            return new AuditJournal(c, file, recordExpectedSince(c, clock.instant()));
        } catch (java.io.IOException | SQLException e) {
            throw new JournalException("cannot open the audit journal " + file + ": " + e.getMessage()
                    + "; check that the state dir is writable by this user", e);
        }
    }

    /**
     * Written once, by the first open of a journal by a version that has the record, and only read after: the
     * journal of an earlier version's audits counts from its first audit, a new one from now. A restart or an
     * upgrade keeps it, so "no complete audit for 8 days" counts from it while no audit has completed yet.
     */
    private static Instant recordExpectedSince(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO since (what, at)"
                + " VALUES (?, COALESCE((SELECT MIN(started_at) FROM audits), ?))")) {
            ps.setString(1, EXPECTED_SINCE);
            ps.setLong(2, now.toEpochMilli());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT at FROM since WHERE what = ?")) {
            ps.setString(1, EXPECTED_SINCE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Instant.ofEpochMilli(rs.getLong(1));
            }
        }
    }

    /**
     * Since when this install's audits are due: when a journal was first opened by a version that records it (or
     * the first audit of an older journal). Never changes once written.
     */
    public Instant expectedSince() {
        return expectedSince;
    }

    /** Journals from before the reconcile lack these columns; rows of later audits fill them in. */
    private static void addColumn(Statement st, String table, String column, String type) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equals(rs.getString("name"))) {
                    return;
                }
            }
        }
        st.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    public synchronized long started(String trigger, Instant at) {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO audits (trigger, started_at, status) VALUES (?, ?, 'RUNNING')",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, trigger);
            ps.setLong(2, at.toEpochMilli());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("record the audit's start", e);
        }
    }

    public synchronized void finished(AuditReport report) {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE audits SET ended_at = ?, status = ?, report = ? WHERE id = ?")) {
            ps.setLong(1, report.endedAt().toEpochMilli());
            ps.setString(2, report.status());
            ps.setString(3, JSON.writeValueAsString(report));
            ps.setLong(4, report.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("record the audit's report", e);
        }
    }

    /**
     * Audits that never finished (killed): marked so, so they never look like the running one. Their deletions
     * still pending were sent or not: {@link Deletion#INTERRUPTED}, for the operator; a later audit finds the
     * objects that are still there again.
     */
    public synchronized int abandonUnfinished() {
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("UPDATE deletions SET state = '" + Deletion.INTERRUPTED + "' WHERE state = '"
                    + Deletion.PENDING + "'");
            return st.executeUpdate("UPDATE audits SET status = 'ABORTED' WHERE status = 'RUNNING'");
        } catch (SQLException e) {
            throw failure("mark unfinished audits", e);
        }
    }

    /** The newest finished audits' reports, newest first. */
    public synchronized List<AuditReport> recent(int limit) {
        List<AuditReport> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT report FROM audits WHERE report IS NOT NULL ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JSON.readValue(rs.getString(1), AuditReport.class));
                }
            }
        } catch (SQLException e) {
            throw failure("read the audit history", e);
        }
        return out;
    }

    public Optional<AuditReport> latest() {
        return recent(1).stream().findFirst();
    }

    /**
     * The newest audit that completed ({@code CLEAN} or {@code PROBLEMS}), which may be older than {@link #latest}:
     * what the metrics' per-class figures and last success follow after a restart.
     */
    public synchronized Optional<AuditReport> latestComplete() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT report FROM audits WHERE report IS NOT NULL"
                + " AND status IN (?, ?) ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, AuditReport.CLEAN);
            ps.setString(2, AuditReport.PROBLEMS);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JSON.readValue(rs.getString(1), AuditReport.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the audit history", e);
        }
    }

    /** Those of {@code media} (ids as in the report's samples) that are in the acknowledged baseline. */
    public synchronized Set<String> acknowledged(Collection<String> media) {
        Set<String> found = new HashSet<>();
        List<String> all = List.copyOf(media);
        for (int i = 0; i < all.size(); i += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + LOOKUP_CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT media FROM acknowledged_lost WHERE media IN (" + marks + ")")) {
                for (int j = 0; j < chunk.size(); j++) {
                    ps.setString(j + 1, chunk.get(j));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw failure("read the acknowledged lost media", e);
            }
        }
        return found;
    }

    public synchronized void acknowledge(Collection<String> media, Instant at) {
        inBatch("record the acknowledged lost media",
                "INSERT OR IGNORE INTO acknowledged_lost (media, acknowledged_at) VALUES (?, ?)", media, (ps, m) -> {
                    ps.setString(1, m);
                    ps.setLong(2, at.toEpochMilli());
                });
    }

    /**
     * An orphan's history: first seen (with this ETag) at {@code firstSeen}, and found again, with the same ETag,
     * by each of the {@code auditsSeen} audits in a row that ended with {@code lastAudit}. What a reconcile's grace
     * rule needs; a changed ETag or a gap restarts the count.
     */
    public record OrphanSighting(String key, String etag, long size, Instant firstSeen, long lastAudit,
            int auditsSeen) {}

    /** The audit that recorded orphans last (0 = none): orphans it saw and this one sees again continue a streak. */
    public synchronized long lastOrphanAudit() {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(last_audit), 0) FROM orphans")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("read the orphan history", e);
        }
    }

    /** An orphan the merge found, with the media it belongs to ({@link OrphanLedger#media}). */
    public record SeenOrphan(AuditBucket.BucketObject object, String media) {}

    /** Records that audit {@code auditId} found these orphans; {@code previousAudit} from {@link #lastOrphanAudit}. */
    public synchronized void orphansSeen(long auditId, long previousAudit, Collection<SeenOrphan> seen, Instant at) {
        String upsert = """
                INSERT INTO orphans (key, etag, size, first_seen, last_audit, audits_seen, media, last_modified)
                VALUES (?, ?, ?, ?, ?, 1, ?, ?)
                ON CONFLICT (key) DO UPDATE SET
                    first_seen = CASE WHEN orphans.etag IS excluded.etag AND orphans.last_audit = ?
                                      THEN orphans.first_seen ELSE excluded.first_seen END,
                    audits_seen = CASE WHEN orphans.etag IS excluded.etag AND orphans.last_audit = ?
                                       THEN orphans.audits_seen + 1 ELSE 1 END,
                    etag = excluded.etag, size = excluded.size, last_audit = excluded.last_audit,
                    media = excluded.media, last_modified = excluded.last_modified
                """;
        inBatch("record the orphans seen", upsert, seen, (ps, s) -> {
            AuditBucket.BucketObject o = s.object();
            ps.setString(1, o.key());
            ps.setString(2, o.etag());
            ps.setLong(3, o.size());
            ps.setLong(4, at.toEpochMilli());
            ps.setLong(5, auditId);
            ps.setString(6, s.media());
            setInstant(ps, 7, o.lastModified());
            ps.setLong(8, previousAudit);
            ps.setLong(9, previousAudit);
        });
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    /** One statement for each item, in one transaction. */
    private <T> void inBatch(String what, String sql, Collection<T> items, Binder<T> binder) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            connection.setAutoCommit(false);
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
            }
            ps.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the failure below is what matters
            }
            throw failure(what, e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the next statement reports a broken connection
            }
        }
    }

    private static void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, java.sql.Types.INTEGER);
        } else {
            ps.setLong(index, at.toEpochMilli());
        }
    }

    private static Instant instantOrNull(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    /**
     * A page of the orphans audit {@code auditId} saw, ordered by media then key (so each media's objects come
     * together), after the given position ({@code ""}, {@code ""} for the first page).
     */
    public synchronized List<Candidate> orphansOf(long auditId, String afterMedia, String afterKey, int limit) {
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT key, etag, size, first_seen, audits_seen,"
                + " media, last_modified FROM orphans WHERE last_audit = ? AND media IS NOT NULL"
                + " AND (media > ? OR (media = ? AND key > ?)) ORDER BY media, key LIMIT ?")) {
            ps.setLong(1, auditId);
            ps.setString(2, afterMedia);
            ps.setString(3, afterMedia);
            ps.setString(4, afterKey);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(new AuditBucket.BucketObject(rs.getString(1), rs.getLong(3),
                            rs.getString(2), instantOrNull(rs, 7)), Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5),
                            rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw failure("read the orphan history", e);
        }
        return out;
    }

    /** An orphan of the latest audit with its history: what the reconcile's first guard looks at. */
    public record Candidate(AuditBucket.BucketObject object, Instant firstSeen, int auditsSeen, String media) {}

    /**
     * One journaled deletion.
     *
     * @param state {@link #PENDING} (about to be sent), {@link #DELETED} (the store confirmed it), {@link #FAILED}
     *              (the store refused it, see {@code error}), {@link #UNKNOWN} (no answer: it may or may not have
     *              happened), {@link #INTERRUPTED} (the process ended while it was pending), {@link #WOULD_DELETE}
     *              (a dry run)
     */
    public record Deletion(String key, long size, String etag, Instant lastModified, long auditId, Instant at,
            String state, String error) {
        public static final String PENDING = "PENDING";
        public static final String DELETED = "DELETED";
        public static final String FAILED = "FAILED";
        public static final String UNKNOWN = "UNKNOWN";
        public static final String INTERRUPTED = "INTERRUPTED";
        public static final String WOULD_DELETE = "WOULD_DELETE";
    }

    /** Journals these objects as about to be deleted by audit {@code auditId} (or, in a dry run, as would-be). */
    public synchronized void deletionsPlanned(long auditId, Collection<AuditBucket.BucketObject> objects,
            String state, Instant at) {
        inBatch("journal the deletions", "INSERT OR REPLACE INTO deletions (audit_id, key, size, etag, last_modified,"
                + " state, at) VALUES (?, ?, ?, ?, ?, ?, ?)", objects, (ps, o) -> {
                    ps.setLong(1, auditId);
                    ps.setString(2, o.key());
                    ps.setLong(3, o.size());
                    ps.setString(4, o.etag());
                    setInstant(ps, 5, o.lastModified());
                    ps.setString(6, state);
                    ps.setLong(7, at.toEpochMilli());
                });
    }

    /** Settles pending deletions: {@code errors} by key (null for the state's own meaning). */
    public synchronized void deletionsSettled(long auditId, Collection<String> keys, String state,
            java.util.Map<String, String> errors, Instant at) {
        inBatch("journal the deletions' outcome", "UPDATE deletions SET state = ?, error = ?, at = ?"
                + " WHERE audit_id = ? AND key = ?", keys, (ps, key) -> {
                    ps.setString(1, state);
                    ps.setString(2, errors.get(key));
                    ps.setLong(3, at.toEpochMilli());
                    ps.setLong(4, auditId);
                    ps.setString(5, key);
                });
        if (state.equals(Deletion.DELETED)) {
            // Deleted objects are orphans no more; the next complete audit would forget them anyway.
            inBatch("prune the orphan history", "DELETE FROM orphans WHERE key = ?", keys, (ps, key) ->
                    ps.setString(1, key));
        }
    }

    /** Audit {@code auditId}'s journaled deletions in key order, after {@code afterKey} ("" for the first). */
    public synchronized List<Deletion> deletions(long auditId, String afterKey, int limit) {
        List<Deletion> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT key, size, etag, last_modified, at, state,"
                + " error FROM deletions WHERE audit_id = ? AND key > ? ORDER BY key LIMIT ?")) {
            ps.setLong(1, auditId);
            ps.setString(2, afterKey);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Deletion(rs.getString(1), rs.getLong(2), rs.getString(3), instantOrNull(rs, 4),
                            auditId, Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw failure("read the deletion journal", e);
        }
        return out;
    }

    /** One audit's report by id (finished audits only). */
    public synchronized Optional<AuditReport> report(long auditId) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT report FROM audits WHERE id = ?"
                + " AND report IS NOT NULL")) {
            ps.setLong(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JSON.readValue(rs.getString(1), AuditReport.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the audit history", e);
        }
    }

    /** After a complete audit: orphans it did not see are gone (deleted, or their row came back). */
    public synchronized int forgetOrphansNotSeenIn(long auditId) {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM orphans WHERE last_audit <> ?")) {
            ps.setLong(1, auditId);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("prune the orphan history", e);
        }
    }

    public synchronized Optional<OrphanSighting> orphan(String key) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT key, etag, size, first_seen, last_audit, audits_seen FROM orphans WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new OrphanSighting(rs.getString(1), rs.getString(2), rs.getLong(3),
                        Instant.ofEpochMilli(rs.getLong(4)), rs.getLong(5), rs.getInt(6)));
            }
        } catch (SQLException e) {
            throw failure("read the orphan history", e);
        }
    }

    private JournalException failure(String what, SQLException e) {
        return new JournalException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to write
        }
    }
}

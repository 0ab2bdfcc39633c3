package org.mediaoffload.journal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The journal's schema, versioned in {@code PRAGMA user_version}. Migrations are applied in order at open; a
 * new version is one more entry at the end of {@link #MIGRATIONS}, never an edit of an old one (databases in
 * the field already ran it).
 */
final class JournalSchema {

    record Migration(int version, List<String> statements) {}

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, List.of(
                    // AUTOINCREMENT: run ids stay unique in logs and metrics even after old runs are purged.
                    """
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        trigger TEXT NOT NULL,
                        dry_run INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        started_at INTEGER NOT NULL,
                        ended_at INTEGER,
                        media_scanned INTEGER NOT NULL DEFAULT 0,
                        media_skipped INTEGER NOT NULL DEFAULT 0,
                        files_uploaded INTEGER NOT NULL DEFAULT 0,
                        bytes_uploaded INTEGER NOT NULL DEFAULT 0,
                        files_already_in_store INTEGER NOT NULL DEFAULT 0,
                        files_deleted INTEGER NOT NULL DEFAULT 0,
                        bytes_freed INTEGER NOT NULL DEFAULT 0,
                        files_failed INTEGER NOT NULL DEFAULT 0,
                        files_skipped INTEGER NOT NULL DEFAULT 0,
                        backlog_files INTEGER NOT NULL DEFAULT 0,
                        backlog_bytes INTEGER NOT NULL DEFAULT 0,
                        errors TEXT NOT NULL DEFAULT ''
                    )""",
                    "CREATE INDEX runs_status ON runs (status, id)",
                    """
                    CREATE TABLE files (
                        key TEXT PRIMARY KEY,
                        relative_path TEXT NOT NULL,
                        state TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        mtime_ms INTEGER NOT NULL,
                        md5 TEXT,
                        run_id INTEGER,
                        uploaded_at INTEGER,
                        verified_at INTEGER,
                        deleted_at INTEGER,
                        error TEXT,
                        updated_at INTEGER NOT NULL
                    ) WITHOUT ROWID""",
                    "CREATE INDEX files_updated_at ON files (updated_at)",
                    "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")),
            // Content proofs for objects we uploaded (see ProofTable); last_modified in epoch seconds.
            new Migration(2, List.of(
                    """
                    CREATE TABLE upload_proofs (
                        key TEXT PRIMARY KEY,
                        target TEXT NOT NULL,
                        md5 TEXT NOT NULL,
                        etag TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        last_modified INTEGER NOT NULL,
                        recorded_at INTEGER NOT NULL
                    ) WITHOUT ROWID""")));

    static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    private JournalSchema() {}

    /** Brings the database to {@link #latestVersion()}, one transaction per migration. */
    static void migrate(Connection connection, Path file) throws SQLException {
        int current = userVersion(connection);
        if (current > latestVersion()) {
            throw new JournalException("state database " + file + " has schema version " + current
                    + ", newer than this version of synapse-media-offload understands (" + latestVersion()
                    + "): it was written by a newer release. Run that release, or move the file aside to start a"
                    + " fresh journal (it only holds run history and hints; nothing is lost from the bucket).");
        }
        for (Migration migration : MIGRATIONS) {
            if (migration.version() > current) {
                apply(connection, migration);
            }
        }
    }

    static int userVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void apply(Connection connection, Migration migration) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            for (String sql : migration.statements()) {
                st.execute(sql);
            }
            // PRAGMA takes no bind parameters; the version is our own int constant.
            st.execute("PRAGMA user_version = " + migration.version());
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}

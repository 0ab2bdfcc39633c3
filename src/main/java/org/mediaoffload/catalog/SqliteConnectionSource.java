package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.pipeline.CatalogException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Read-only connections to Synapse's SQLite file. Synapse writes it concurrently in WAL mode, so a busy timeout
 * rides out its short write locks, and transactions stay short (a long reader blocks WAL checkpoints).
 */
final class SqliteConnectionSource implements ConnectionSource {

    static final int BUSY_TIMEOUT_MS = 5000;

    private final Path path;

    SqliteConnectionSource(DatabaseConfig config) {
        requireNonNull(config, "config is null");
        this.path = config.sqlitePath().orElseThrow(() -> new CatalogException(
                "offload.database.type is sqlite but offload.database.sqlite-path is not set", null));
    }

    @Override
    public Connection open() {
        if (!Files.isRegularFile(path)) {
            throw new CatalogException("SQLite database " + path + " does not exist or is not a file."
                    + " Check offload.database.sqlite-path (Synapse's database.args.database).", null);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setReadOnly(true);
        sqlite.setOpenMode(SQLiteOpenMode.READONLY);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        Connection connection;
        try {
            connection = sqlite.createConnection("jdbc:sqlite:" + path);
        } catch (SQLException e) {
            throw ConnectFailure.sqlite(describe(), e);
        }
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA query_only = 1"); // a second lock on the door, independent of the open flags
            }
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw ConnectFailure.sqlite(describe(), e);
        }
    }

    @Override
    public String describe() {
        return "SQLite database " + path;
    }
}

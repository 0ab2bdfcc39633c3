package org.mediaoffload.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.testing.DatabaseConfigBuilder;
import org.mediaoffload.testing.SynapseFixture;
import org.mediaoffload.testing.SynapseSchema;
import org.mediaoffload.testing.TestPostgres;

/** A fresh database with Synapse's media schema on one engine, plus a read-write fixture playing Synapse. */
final class SynapseDatabase implements AutoCloseable {

    private final Engine engine;
    private final TestPostgres.Database postgres;
    private final Path sqlitePath;
    private final Connection writer;
    private final SynapseFixture fixture;

    private SynapseDatabase(Engine engine, TestPostgres.Database postgres, Path sqlitePath, Connection writer) {
        this.engine = engine;
        this.postgres = postgres;
        this.sqlitePath = sqlitePath;
        this.writer = writer;
        this.fixture = new SynapseFixture(writer);
    }

    static SynapseDatabase create(Engine engine, Path tempDir) throws SQLException {
        if (engine == Engine.POSTGRES) {
            TestPostgres.Database db = TestPostgres.createDatabase();
            Connection writer = db.connect();
            SynapseSchema.applyPostgres(writer);
            return new SynapseDatabase(engine, db, null, writer);
        }
        Path file = tempDir.resolve("homeserver.db");
        Connection writer = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = writer.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL"); // as Synapse runs it
        }
        SynapseSchema.applySqlite(writer);
        return new SynapseDatabase(engine, null, file, writer);
    }

    SynapseFixture fixture() {
        return fixture;
    }

    /** Synapse's own (read-write) connection. */
    Connection writer() {
        return writer;
    }

    TestPostgres.Database postgres() {
        return postgres;
    }

    DatabaseConfig config(int fetchSize) {
        if (engine == Engine.POSTGRES) {
            return postgres.databaseConfig(fetchSize);
        }
        return DatabaseConfigBuilder.sqlite(sqlitePath).port(0).fetchSize(fetchSize).build();
    }

    @Override
    public void close() throws SQLException {
        writer.close();
        if (postgres != null) {
            postgres.close();
        }
    }
}

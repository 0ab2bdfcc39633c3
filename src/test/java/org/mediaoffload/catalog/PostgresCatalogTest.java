package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.pipeline.CatalogException;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.testing.SynapseFixture.LocalMedia;
import org.mediaoffload.testing.SynapseFixture.RemoteMedia;
import org.mediaoffload.testing.TestPostgres;
import org.mediaoffload.testing.TestRequirements;

/** PostgreSQL specifics, against the real server: socket, session settings, short transactions, outages. */
class PostgresCatalogTest {

    private static final Path SOCKET_DIR = Path.of("/var/run/postgresql");
    /** The files of the nine media each test's database lists. */
    private static final List<DiskMediaId> ON_DISK = IntStream.range(0, 9)
            .mapToObj(i -> new DiskMediaId(MediaKind.LOCAL, "", "media" + i)).toList();

    @TempDir
    Path tempDir;

    private SynapseDatabase db;

    @BeforeEach
    void createDatabase() throws SQLException {
        db = SynapseDatabase.create(Engine.POSTGRES, tempDir);
        db.fixture().insertLocals(IntStream.range(0, 9)
                .mapToObj(i -> new LocalMedia("media" + i, 1L, 1_000, null, null, null)).toList());
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        db.close();
    }

    @Test
    void connectsThroughTheUnixSocketDirectory() {
        TestPostgres.Database pg = db.postgres();
        if (!Files.exists(SOCKET_DIR.resolve(".s.PGSQL.5432"))) {
            throw TestRequirements.missing("no PostgreSQL socket in " + SOCKET_DIR);
        }
        if (pg.port() != 5432 || !List.of("127.0.0.1", "localhost").contains(pg.host())) {
            throw TestRequirements.missing("the test server " + pg + " is not the machine's service behind "
                    + SOCKET_DIR);
        }
        DatabaseConfig viaSocket = withHost(pg.databaseConfig(4), SOCKET_DIR.toString());
        try (MediaCatalog catalog = SynapseCatalogs.open(viaSocket)) {
            catalog.ping();
            assertThat(lookUp(catalog)).hasSize(9);
        }
    }

    /**
     * PgJDBC prepares a statement on the server from its fifth use, and PostgreSQL may then plan it generically: for
     * the remote lookup that means a linear search of the id array per row (12x slower on the bench store). The
     * lookup is therefore never a server-side prepared statement, however often it runs on one session.
     */
    @Test
    void remoteLookupsAreNeverPreparedOnTheServer() throws SQLException {
        List<RemoteMedia> remote = IntStream.range(0, 50)
                .mapToObj(i -> new RemoteMedia("example.com", "m" + i, "fs" + i, 1L, 1_000, 1_000L, null)).toList();
        db.fixture().insertRemotes(remote);
        PostgresDialect dialect = new PostgresDialect(new MediaRows(false));
        try (Connection c = db.postgres().connect()) {
            for (int run = 0; run < 12; run++) {
                int found = 0;
                try (PreparedStatement ps = dialect.remoteEligible(c, "example.com", List.of("fs1", "fs7", "fs49"),
                        3_000); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found++;
                    }
                }
                assertThat(found).isEqualTo(3);
            }
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements"
                            + " WHERE statement LIKE '%filesystem_id = ANY%'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void identifiesItselfAndHoldsNoTransactionWhileRowsAreDelivered() throws SQLException {
        List<String> statesSeen = new ArrayList<>();
        try (Connection observer = db.postgres().connect();
                MediaCatalog catalog = SynapseCatalogs.open(db.config(2))) {
            catalog.eligibleAmong(3_000, true, ON_DISK, row -> statesSeen.addAll(backendStates(observer)));
        }
        // one entry per delivered row: our backend exists, is named, and sits idle (not "idle in transaction")
        assertThat(statesSeen).hasSize(9).containsOnly("idle");
    }

    @Test
    void sessionIsReadOnlyWithTheConfiguredStatementTimeout() throws SQLException {
        DatabaseConfig config = db.config(10);
        ConnectionSource source = new PostgresConnectionSource(PostgresTarget.from(config), Duration.ofSeconds(7));
        try (Connection c = source.open(); Statement st = c.createStatement()) {
            assertThat(show(st, "statement_timeout")).isEqualTo("7s");
            assertThat(show(st, "default_transaction_read_only")).isEqualTo("on");
            assertThat(show(st, "transaction_read_only")).isEqualTo("on");
            assertThat(show(st, "application_name")).isEqualTo("synapse-media-offload");
        }
    }

    @Test
    void aLockedTableEndsTheLookupAtTheStatementTimeout() throws SQLException {
        DatabaseConfig config = db.config(10);
        DatabaseConfig shortTimeout = new DatabaseConfig(config.type(), config.url(), config.host(), config.port(),
                config.name(), config.user(), config.password(), config.sqlitePath(), config.libpqOptions(),
                Duration.ofMillis(500), config.fetchSize());
        try (MediaCatalog catalog = SynapseCatalogs.open(shortTimeout);
                Connection locker = db.postgres().connect()) {
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE local_media_repository IN ACCESS EXCLUSIVE MODE");
            }
            assertThatThrownBy(() -> lookUp(catalog))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining(db.postgres().name())
                    .hasMessageContaining("statement timeout");
            locker.rollback();
            assertThat(lookUp(catalog)).hasSize(9); // and the catalog works again once the lock is gone
        }
    }

    @Test
    void reconnectsWhenTheServerDropsTheConnectionBetweenLookups() throws SQLException {
        List<MediaRow> rows = new ArrayList<>();
        try (Connection admin = db.postgres().connect(); MediaCatalog catalog = SynapseCatalogs.open(db.config(2))) {
            catalog.eligibleAmong(3_000, true, ON_DISK, row -> {
                if (rows.size() == 3) {
                    terminateOurBackend(admin);
                }
                rows.add(row);
            });
            assertThat(lookUp(catalog)).as("the next lookup, on a new connection").hasSize(9);
        }
        assertThat(rows).extracting(MediaRow::mediaId).doesNotHaveDuplicates().hasSize(9);
    }

    @Test
    void pingReportsADatabaseThatHasGone() {
        try (MediaCatalog catalog = SynapseCatalogs.open(db.config(10))) {
            catalog.ping();
            db.postgres().close(); // drops the database, disconnecting us
            assertThatThrownBy(catalog::ping)
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining(db.postgres().name())
                    .hasMessageContaining("does not exist");
        }
    }

    private List<String> backendStates(Connection observer) {
        try (PreparedStatement ps = observer.prepareStatement(
                "SELECT state FROM pg_stat_activity WHERE datname = ? AND application_name = ?")) {
            ps.setString(1, db.postgres().name());
            ps.setString(2, "synapse-media-offload");
            List<String> states = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.add(rs.getString(1));
                }
            }
            return states;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void terminateOurBackend(Connection admin) {
        try (PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = ? AND application_name = 'synapse-media-offload'")) {
            ps.setString(1, db.postgres().name());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<MediaRow> lookUp(MediaCatalog catalog) {
        List<MediaRow> rows = new ArrayList<>();
        catalog.eligibleAmong(3_000, true, ON_DISK, rows::add);
        return rows;
    }

    static DatabaseConfig withHost(DatabaseConfig c, String host) {
        return new DatabaseConfig(c.type(), c.url(), Optional.of(host), c.port(), c.name(), c.user(), c.password(),
                c.sqlitePath(), Map.of(), c.statementTimeout(), c.fetchSize());
    }
}

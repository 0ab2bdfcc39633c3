package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.pipeline.CatalogException;
import org.mediaoffload.testing.DatabaseConfigBuilder;
import org.mediaoffload.testing.SynapseSchema;
import org.mediaoffload.testing.TestPostgres;

/** Every way of pointing at the wrong database ends in a message that says where and what to check. */
class CatalogErrorsTest {

    private static final String PASSWORD = "hunter2-correct-horse";

    @TempDir
    Path tempDir;

    @Test
    void postgresDatabaseWithoutSynapseTables() {
        try (TestPostgres.Database empty = TestPostgres.createDatabase()) {
            CatalogException e = openFails(empty.databaseConfig(10));
            assertThat(e.getMessage())
                    .contains(empty.name(), "not Synapse's main database", "local_media_repository");
        }
    }

    @Test
    void postgresUnknownDatabaseDoesNotRevealThePassword() {
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            DatabaseConfig config = postgres(db, Optional.of("no_such_database_here"), db.user());
            CatalogException e = openFails(config);
            // database.yaml names it "database" (as the playbook writes it); "dbname" alone sent admins looking.
            assertThat(e.getMessage()).contains("no_such_database_here", db.host(), "does not exist",
                    "offload.database.name (database, or dbname, in database.yaml");
            assertNoPassword(e);
        }
    }

    @Test
    void postgresUnknownRoleIsALoginFailure() {
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            CatalogException e = openFails(postgres(db, Optional.of(db.name()), "no_such_role_here"));
            assertThat(e.getMessage()).contains("Could not log in", "no_such_role_here", db.name(),
                    "offload.database.password");
            assertNoPassword(e);
        }
    }

    @Test
    @SuppressWarnings("try") // db is closed early on purpose: the role can only be dropped once nothing uses it
    void postgresUserWithoutSelectGrant() throws SQLException {
        String role = "offload_nogrant_" + Long.toHexString(System.nanoTime());
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                SynapseSchema.applyPostgres(c);
                st.execute("CREATE ROLE " + role + " LOGIN");
            }
            try {
                CatalogException e = openFails(postgres(db, Optional.of(db.name()), role));
                assertThat(e.getMessage()).contains(role, db.name(), "local_media_repository", "GRANT SELECT");
            } finally {
                db.close();
                try (Connection admin = db.connectAdmin(); Statement st = admin.createStatement()) {
                    st.execute("DROP ROLE " + role);
                }
            }
        }
    }

    @Test
    void postgresPasswordInAUrlIsNotRepeated() {
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/no_such_database_here?password="
                    + PASSWORD;
            DatabaseConfig config = DatabaseConfigBuilder.postgresUrl(url).user(Optional.of(db.user()))
                    .statementTimeout(Duration.ofSeconds(5)).fetchSize(10).build();
            CatalogException e = openFails(config);
            assertThat(e.getMessage()).contains("no_such_database_here");
            assertNoPassword(e);
        }
    }

    @Test
    void aUserInTheUrlIsTheOneBlamedNotTheOsUser() {
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.name()
                    + "?user=no_such_url_role&sslmode=disable";
            DatabaseConfig config = DatabaseConfigBuilder.postgresUrl(url).statementTimeout(Duration.ofSeconds(5))
                    .fetchSize(10).build();
            CatalogException e = openFails(config);
            assertThat(e.getMessage()).contains("Could not log in", "as user no_such_url_role")
                    .doesNotContain("as user " + System.getProperty("user.name"));
        }
    }

    @Test
    void postgresNobodyListening() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        DatabaseConfig config = DatabaseConfigBuilder.postgres("127.0.0.1", port).name(Optional.of("synapse"))
                .user(Optional.of("synapse")).password(Optional.of(new Secret(PASSWORD)))
                .statementTimeout(Duration.ofSeconds(5)).fetchSize(10).build();
        CatalogException e = openFails(config);
        assertThat(e.getMessage()).contains("Cannot connect", "127.0.0.1", "port " + port, "synapse");
        assertNoPassword(e);
    }

    @Test
    void sqliteFileMissing() {
        Path missing = tempDir.resolve("homeserver.db");
        CatalogException e = openFails(sqlite(missing));
        assertThat(e.getMessage()).contains(missing.toString(), "offload.database.sqlite-path");
    }

    @Test
    void sqliteFileWithoutSynapseTables() throws SQLException {
        Path other = tempDir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE local_media_repository (media_id TEXT)"); // columns missing
        }
        CatalogException e = openFails(sqlite(other));
        assertThat(e.getMessage()).contains(other.toString(), "not Synapse's main database", "media_length");
    }

    @Test
    void sqliteFileThatIsNoDatabase() throws IOException {
        Path text = Files.writeString(tempDir.resolve("homeserver.yaml"), "server_name: example.org\n".repeat(100));
        CatalogException e = openFails(sqlite(text));
        assertThat(e.getMessage()).contains(text.toString(), "not a database");
    }

    private static CatalogException openFails(DatabaseConfig config) {
        CatalogException e = catchThrowableOfType(CatalogException.class, () -> SynapseCatalogs.open(config).close());
        assertThat(e).as("opening %s should fail", config.type()).isNotNull();
        return e;
    }

    private static void assertNoPassword(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
            assertThat(t.toString()).doesNotContain(PASSWORD);
        }
    }

    private static DatabaseConfig postgres(TestPostgres.Database db, Optional<String> name, String user) {
        return DatabaseConfigBuilder.postgres(db.host(), db.port()).name(name).user(Optional.of(user))
                .password(Optional.of(new Secret(PASSWORD))).statementTimeout(Duration.ofSeconds(5)).fetchSize(10)
                .build();
    }

    private static DatabaseConfig sqlite(Path file) {
        return DatabaseConfigBuilder.sqlite(file).port(0).statementTimeout(Duration.ofSeconds(5)).fetchSize(10).build();
    }
}

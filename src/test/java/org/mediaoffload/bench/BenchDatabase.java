package org.mediaoffload.bench;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.mediaoffload.testing.SynapseSchema;
import org.postgresql.PGConnection;

/**
 * The benchmark's Synapse databases on the machine's PostgreSQL (127.0.0.1:5432, user postgres, or
 * {@code BENCH_PG_HOST}/{@code BENCH_PG_PORT}/{@code BENCH_PG_USER}), bulk-loaded with COPY.
 */
final class BenchDatabase {
    private BenchDatabase() {}

    static String host() {
        return System.getenv().getOrDefault("BENCH_PG_HOST", "127.0.0.1");
    }

    static int port() {
        return Integer.parseInt(System.getenv().getOrDefault("BENCH_PG_PORT", "5432"));
    }

    static String user() {
        return System.getenv().getOrDefault("BENCH_PG_USER", "postgres");
    }

    static String url(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    static Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user());
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url(database), props);
    }

    /** Drops and creates {@code database} (UTF8, C collation, as Synapse requires) with Synapse's media tables. */
    static Connection recreate(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits, _: " + database);
        }
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + database + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        }
        Connection c = connect(database);
        SynapseSchema.applyPostgres(c);
        return c;
    }

    /** COPY ... FROM STDIN (CSV) of {@code csv} into {@code tableAndColumns}; returns the rows loaded. */
    static long copy(Connection c, String tableAndColumns, CharSequence csv) throws SQLException {
        try {
            return c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + tableAndColumns + " FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("COPY into " + tableAndColumns + " failed", e);
        }
    }

    static void analyze(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
    }
}

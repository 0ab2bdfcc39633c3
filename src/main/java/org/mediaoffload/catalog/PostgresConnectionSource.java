package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.mediaoffload.pipeline.CatalogException;

/**
 * Read-only PgJDBC connections. Read-only is asked for three ways (driver flag, session default, per
 * transaction) because a user-supplied URL can override driver properties, and Synapse's data must never be
 * written by us whatever the URL says.
 */
final class PostgresConnectionSource implements ConnectionSource {

    private final PostgresTarget target;
    private final Duration statementTimeout;

    PostgresConnectionSource(PostgresTarget target, Duration statementTimeout) {
        this.target = requireNonNull(target, "target is null");
        this.statementTimeout = requireNonNull(statementTimeout, "statementTimeout is null");
    }

    @Override
    public Connection open() {
        Connection connection;
        try {
            Properties props = new Properties();
            props.putAll(target.properties());
            connection = DriverManager.getConnection(target.url(), props);
        } catch (SQLException e) {
            throw ConnectFailure.postgres(target, e);
        }
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("SET default_transaction_read_only = on");
                if (!statementTimeout.isZero() && !statementTimeout.isNegative()) {
                    st.execute("SET statement_timeout = " + statementTimeout.toMillis());
                }
            }
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw ConnectFailure.postgres(target, e);
        }
    }

    @Override
    public String describe() {
        return target.description();
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}

package org.mediaoffload.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.DatabaseType;
import org.mediaoffload.config.Secret;

/**
 * {@link DatabaseConfig} for tests without its 13-argument constructor: {@link #sqlite}, {@link #postgres} or
 * {@link #from} a config, then change what the test is about, e.g.
 * {@code DatabaseConfigBuilder.from(c).host(Optional.of("127.0.0.1")).port(proxy.port()).build()}. It uses only the
 * record's canonical constructor, so a component added to DatabaseConfig needs one change here.
 */
public final class DatabaseConfigBuilder {
    private static final Duration SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(60);

    private DatabaseType type;
    private Optional<String> url = Optional.empty();
    private Optional<String> host = Optional.empty();
    private int port = 5432;
    private Optional<String> name = Optional.empty();
    private Optional<String> user = Optional.empty();
    private Optional<Secret> password = Optional.empty();
    private Optional<Path> sqlitePath = Optional.empty();
    private Map<String, String> libpqOptions = Map.of();
    private Duration statementTimeout = Duration.ofSeconds(30);
    private Duration loginTimeout = Duration.ofSeconds(10);
    /** Empty: the statement timeout plus a minute, as offload.database.socket-timeout defaults. */
    private Optional<Duration> socketTimeout = Optional.empty();
    private int fetchSize = 100;

    private DatabaseConfigBuilder(DatabaseType type) {
        this.type = type;
    }

    /** A Synapse SQLite file; 30 s statement timeout, 10 s login timeout, fetch size 100. */
    public static DatabaseConfigBuilder sqlite(Path file) {
        return new DatabaseConfigBuilder(DatabaseType.SQLITE).sqlitePath(Optional.of(file));
    }

    /** PostgreSQL with nothing set but port 5432 and the timeouts and fetch size of {@link #sqlite}. */
    public static DatabaseConfigBuilder postgres() {
        return new DatabaseConfigBuilder(DatabaseType.POSTGRES);
    }

    /** PostgreSQL at a host (or Unix socket directory) and port; no database name, user or password yet. */
    public static DatabaseConfigBuilder postgres(String host, int port) {
        return postgres().host(Optional.of(host)).port(port);
    }

    /** PostgreSQL by URL alone (port 0: a URL config has none of its own). */
    public static DatabaseConfigBuilder postgresUrl(String url) {
        return postgres().url(Optional.of(url)).port(0);
    }

    public static DatabaseConfigBuilder from(DatabaseConfig c) {
        return new DatabaseConfigBuilder(c.type()).url(c.url()).host(c.host()).port(c.port()).name(c.name())
                .user(c.user()).password(c.password()).sqlitePath(c.sqlitePath()).libpqOptions(c.libpqOptions())
                .statementTimeout(c.statementTimeout()).loginTimeout(c.loginTimeout())
                .socketTimeout(c.socketTimeout()).fetchSize(c.fetchSize());
    }

    public DatabaseConfig build() {
        return new DatabaseConfig(type, url, host, port, name, user, password, sqlitePath, libpqOptions,
                statementTimeout, loginTimeout, socketTimeout.orElse(statementTimeout.plus(SOCKET_TIMEOUT_MARGIN)),
                fetchSize);
    }

    public DatabaseConfigBuilder url(Optional<String> value) {
        url = value;
        return this;
    }

    public DatabaseConfigBuilder host(Optional<String> value) {
        host = value;
        return this;
    }

    public DatabaseConfigBuilder port(int value) {
        port = value;
        return this;
    }

    public DatabaseConfigBuilder name(Optional<String> value) {
        name = value;
        return this;
    }

    public DatabaseConfigBuilder user(Optional<String> value) {
        user = value;
        return this;
    }

    public DatabaseConfigBuilder password(Optional<Secret> value) {
        password = value;
        return this;
    }

    public DatabaseConfigBuilder sqlitePath(Optional<Path> value) {
        sqlitePath = value;
        return this;
    }

    public DatabaseConfigBuilder libpqOptions(Map<String, String> value) {
        libpqOptions = value;
        return this;
    }

    public DatabaseConfigBuilder statementTimeout(Duration value) {
        statementTimeout = value;
        return this;
    }

    public DatabaseConfigBuilder loginTimeout(Duration value) {
        loginTimeout = value;
        return this;
    }

    public DatabaseConfigBuilder socketTimeout(Duration value) {
        socketTimeout = Optional.of(value);
        return this;
    }

    public DatabaseConfigBuilder fetchSize(int value) {
        fetchSize = value;
        return this;
    }
}

package org.mediaoffload.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where Synapse's database is. For PostgreSQL either {@code url} (a JDBC URL) or host/port/name is set;
 * a {@code host} that starts with {@code /} is a Unix-socket directory, as libpq reads it.
 *
 * @param libpqOptions     further libpq options from database.yaml / homeserver.yaml (e.g. sslmode), passed through
 * @param statementTimeout server-side limit of every query we send (PostgreSQL's statement_timeout)
 * @param loginTimeout     client-side limit of opening a connection, authentication included
 * @param socketTimeout    client-side limit of waiting for any answer on an open connection
 */
public record DatabaseConfig(
        DatabaseType type,
        Optional<String> url,
        Optional<String> host,
        int port,
        Optional<String> name,
        Optional<String> user,
        Optional<Secret> password,
        Optional<Path> sqlitePath,
        Map<String, String> libpqOptions,
        Duration statementTimeout,
        Duration loginTimeout,
        Duration socketTimeout,
        int fetchSize) {

    /** Past the server's own timeout, which ends a slow query with a clearer error than a cut socket. */
    private static final Duration SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(60);

    /** With reference.conf's login timeout and the socket timeout that follows the statement timeout. */
    public DatabaseConfig(DatabaseType type, Optional<String> url, Optional<String> host, int port,
            Optional<String> name, Optional<String> user, Optional<Secret> password, Optional<Path> sqlitePath,
            Map<String, String> libpqOptions, Duration statementTimeout, int fetchSize) {
        this(type, url, host, port, name, user, password, sqlitePath, libpqOptions, statementTimeout,
                ConfigLoader.reference().getDuration("offload.database.login-timeout"),
                socketTimeoutFor(statementTimeout), fetchSize);
    }

    /** offload.database.socket-timeout when unset: the statement timeout plus a minute (120s by default). */
    public static Duration socketTimeoutFor(Duration statementTimeout) {
        return statementTimeout.plus(SOCKET_TIMEOUT_MARGIN);
    }

    public boolean usesUnixSocket() {
        return host.map(h -> h.startsWith("/")).orElse(false);
    }

    /** Never prints the password, a password inside the JDBC URL, or libpq options (sslpassword, ...). */
    @Override
    public String toString() {
        return "DatabaseConfig[type=" + type + ", url=" + url.map(Redactor::redactUrl) + ", host=" + host
                + ", port=" + port + ", name=" + name + ", user=" + user + ", password=" + password
                + ", sqlitePath=" + sqlitePath + ", libpqOptions=" + libpqOptions.keySet()
                + ", statementTimeout=" + statementTimeout + ", loginTimeout=" + loginTimeout + ", socketTimeout="
                + socketTimeout + ", fetchSize=" + fetchSize + "]";
    }
}

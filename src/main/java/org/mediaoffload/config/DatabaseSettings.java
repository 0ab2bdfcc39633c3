package org.mediaoffload.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Builds {@link DatabaseConfig} from {@code offload.database}. Paths are checked by {@link HostPathChecks}. */
final class DatabaseSettings {
    private static final String P = "offload.database.";

    private DatabaseSettings() {}

    static DatabaseConfig read(SettingsReader reader, SecretReader secrets) {
        DatabaseType type = type(reader);
        Optional<String> url = reader.optionalString(P + "url");
        Optional<String> host = reader.optionalString(P + "host");
        int port = reader.integer(P + "port", 5432);
        Optional<String> name = reader.optionalString(P + "name");
        Optional<String> user = reader.optionalString(P + "user");
        Optional<Secret> password = secrets.read(P + "password");
        Optional<Path> sqlitePath = reader.optionalPath(P + "sqlite-path");
        Map<String, String> options = reader.stringMap(P + "options");
        Duration statementTimeout = reader.duration(P + "statement-timeout", DatabaseConfig.DEFAULT_STATEMENT_TIMEOUT);
        Duration loginTimeout = reader.duration(P + "login-timeout", DatabaseConfig.DEFAULT_LOGIN_TIMEOUT);
        Duration socketTimeout = reader.duration(P + "socket-timeout", DatabaseConfig.socketTimeoutFor(statementTimeout));
        int fetchSize = reader.integer(P + "fetch-size", 2000);

        if (port < 1 || port > 65535) {
            reader.error(P + "port", "= " + port + " must be between 1 and 65535");
        }
        checkTimeouts(reader, statementTimeout, loginTimeout, socketTimeout);
        if (fetchSize < 1) {
            reader.error(P + "fetch-size", "= " + fetchSize + " must be at least 1");
        }
        if (type == DatabaseType.POSTGRES) {
            checkPostgres(reader, url, host, name);
        } else if (sqlitePath.isEmpty()) {
            reader.missing(P + "sqlite-path", "is required when offload.database.type = sqlite: the path of"
                    + " Synapse's homeserver.db (homeserver.yaml database.args.database)");
        }
        return new DatabaseConfig(type, url, host, port, name, user, password, sqlitePath, options,
                statementTimeout, loginTimeout, socketTimeout, fetchSize);
    }

    /**
     * Every database wait is bounded: a database that accepts connections but never answers must end the run, not
     * hang it. So 0 is refused rather than read as "none" (which is what statement-timeout = 0 used to mean, and
     * what let a frozen database hold a run forever), and the client-side socket timeout must leave the server
     * time to cancel a slow query itself first (its error says what happened; a cut socket does not).
     */
    private static void checkTimeouts(SettingsReader reader, Duration statement, Duration login, Duration socket) {
        boolean statementOk = positive(reader, "statement-timeout", statement, Duration.ofMillis(1));
        boolean loginOk = positive(reader, "login-timeout", login, Duration.ofSeconds(1));
        boolean socketOk = positive(reader, "socket-timeout", socket, Duration.ofSeconds(1));
        if (loginOk && socketOk && login.compareTo(socket) > 0) {
            // One wait on a frozen database is a query (socket-timeout) or a login: the promised bound of
            // 2 x socket-timeout + 10 s holds only if a login never waits longer than a query.
            reader.error(P + "login-timeout", "= " + render(login) + " must not be longer than offload.database"
                    + ".socket-timeout = " + render(socket) + "; lower login-timeout or raise socket-timeout");
        }
        if (statementOk && socketOk && socket.compareTo(statement) <= 0) {
            reader.error(P + "socket-timeout", "= " + render(socket) + " must be longer than offload.database"
                    + ".statement-timeout = " + render(statement) + ", so that PostgreSQL cancels a slow query"
                    + " itself before the connection is given up; raise socket-timeout (e.g. statement-timeout"
                    + " + 60s)");
        }
    }

    private static boolean positive(SettingsReader reader, String key, Duration value, Duration minimum) {
        if (value.isZero() || value.isNegative()) {
            reader.error(P + key, "= " + render(value) + " is not allowed: every wait for the database must be"
                    + " bounded, or a database that stops answering hangs the run forever. Give a duration such"
                    + " as " + render(defaultOf(key)) + " (raise it for a slow database)");
            return false;
        }
        if (value.compareTo(minimum) < 0) {
            reader.error(P + key, "= " + render(value) + " is shorter than " + render(minimum)
                    + ", the smallest the PostgreSQL driver can apply (it counts whole seconds)");
            return false;
        }
        return true;
    }

    private static Duration defaultOf(String key) {
        return switch (key) {
            case "login-timeout" -> DatabaseConfig.DEFAULT_LOGIN_TIMEOUT;
            case "socket-timeout" -> DatabaseConfig.socketTimeoutFor(DatabaseConfig.DEFAULT_STATEMENT_TIMEOUT);
            default -> DatabaseConfig.DEFAULT_STATEMENT_TIMEOUT;
        };
    }

    private static String render(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static DatabaseType type(SettingsReader reader) {
        String type = reader.string(P + "type", "postgres").toLowerCase(Locale.ROOT);
        switch (type) {
            case "postgres", "postgresql", "psycopg2":
                return DatabaseType.POSTGRES;
            case "sqlite", "sqlite3":
                return DatabaseType.SQLITE;
            default:
                reader.error(P + "type", "= " + type + " must be postgres or sqlite");
                return DatabaseType.POSTGRES;
        }
    }

    private static void checkPostgres(SettingsReader reader, Optional<String> url, Optional<String> host,
            Optional<String> name) {
        if (url.isPresent()) {
            // The URL is never echoed: it may carry a password.
            if (!url.get().startsWith("jdbc:postgresql:")) {
                reader.error(P + "url", "must be a PostgreSQL JDBC URL starting with jdbc:postgresql:");
            }
            if (host.isPresent() || name.isPresent()) {
                reader.error(P + "url", "and offload.database.host/name are both set; give either the URL or"
                        + " host and name");
            }
            return;
        }
        if (host.isEmpty() || name.isEmpty()) {
            reader.missing("offload.database", "does not say where Synapse's PostgreSQL database is: set url, or host"
                    + " and name" + (host.isEmpty() ? "" : " (name is missing)")
                    + ", or pass --database-yaml / --homeserver-config");
        }
    }
}

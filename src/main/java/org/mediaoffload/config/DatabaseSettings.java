package org.mediaoffload.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@link DatabaseConfig} from {@code offload.database}, and checks that its paths exist on this host. */
final class DatabaseSettings {
    private static final String P = "offload.database.";

    private DatabaseSettings() {}

    static DatabaseConfig database(Settings s) {
        DatabaseType type = type(s);
        Optional<String> url = s.optionalString(P + "url");
        Optional<String> host = s.optionalString(P + "host");
        int port = s.integer(P + "port", v -> v >= 1 && v <= 65535, "must be between 1 and 65535");
        Optional<String> name = s.optionalString(P + "name");
        Optional<Path> sqlitePath = s.optionalPath(P + "sqlite-path");
        Optional<Duration> statement = timeout(s, "statement-timeout", Duration.ofMillis(1));
        Optional<Duration> login = timeout(s, "login-timeout", Duration.ofSeconds(1));
        Optional<Duration> socket = s.isSet(P + "socket-timeout")
                ? timeout(s, "socket-timeout", Duration.ofSeconds(1))
                : statement.map(DatabaseConfig::socketTimeoutFor);
        checkTimeouts(s, statement, login, socket);
        if (type == DatabaseType.POSTGRES) {
            checkPostgres(s, url, host, name);
            if (url.isEmpty() && host.filter(h -> h.startsWith("/") && !Files.isDirectory(Path.of(h))).isPresent()) {
                s.pathProblem(P + "host", Path.of(host.get()), "is a Unix-socket directory that does not exist");
            }
        } else if (sqlitePath.isEmpty()) {
            s.missing(P + "sqlite-path", "is required when offload.database.type = sqlite: the path of Synapse's"
                    + " homeserver.db (homeserver.yaml database.args.database)");
        } else if (!Files.isRegularFile(sqlitePath.get())) {
            s.pathProblem(P + "sqlite-path", sqlitePath.get(), "does not exist");
        }
        return new DatabaseConfig(type, url, host, port, name, s.optionalString(P + "user"), s.secret(P + "password"),
                sqlitePath, s.stringMap(P + "options"), statement.orElse(Duration.ZERO), login.orElse(Duration.ZERO),
                socket.orElse(Duration.ZERO), s.integer(P + "fetch-size", v -> v >= 1, "must be at least 1"));
    }

    private static DatabaseType type(Settings s) {
        String type = s.string(P + "type").toLowerCase(Locale.ROOT);
        return switch (type) {
            case "postgres", "postgresql", "psycopg2" -> DatabaseType.POSTGRES;
            case "sqlite", "sqlite3" -> DatabaseType.SQLITE;
            default -> {
                s.error(P + "type", "= " + type + " must be postgres or sqlite");
                yield DatabaseType.POSTGRES;
            }
        };
    }

    private static void checkPostgres(Settings s, Optional<String> url, Optional<String> host, Optional<String> name) {
        if (url.isPresent()) {
            // The URL is never echoed: it may carry a password.
            if (!url.get().startsWith("jdbc:postgresql:")) {
                s.error(P + "url", "must be a PostgreSQL JDBC URL starting with jdbc:postgresql:");
            }
            if (host.isPresent() || name.isPresent()) {
                s.error(P + "url", "and offload.database.host/name are both set; give either the URL or host and name");
            }
        } else if (host.isEmpty() || name.isEmpty()) {
            s.missing("offload.database", "does not say where Synapse's PostgreSQL database is: set url, or host"
                    + " and name" + (host.isEmpty() ? "" : " (name is missing)")
                    + ", or pass --database-yaml / --homeserver-config");
        }
    }

    /**
     * Every database wait is bounded: a database that accepts connections but never answers must end the run, not
     * hang it. So 0 is refused rather than read as "none" (which let a frozen database hold a run forever). Empty
     * when refused, so that no follow-up comparison adds noise.
     */
    private static Optional<Duration> timeout(Settings s, String key, Duration minimum) {
        Optional<Duration> value = s.optionalDuration(P + key, "must be a duration such as 30s, 10m, 12h or 90d");
        if (value.filter(v -> v.isZero() || v.isNegative()).isPresent()) {
            s.error(P + key, "= " + render(value.get()) + " is not allowed: every wait for the database must be"
                    + " bounded, or a database that stops answering hangs the run forever. Give a duration such as "
                    + (key.equals("socket-timeout") ? "a minute more than statement-timeout" : s.defaultText(P + key))
                    + " (raise it for a slow database)");
            return Optional.empty();
        }
        if (value.filter(v -> v.compareTo(minimum) < 0).isPresent()) {
            s.error(P + key, "= " + render(value.get()) + " is shorter than " + render(minimum)
                    + ", the smallest the PostgreSQL driver can apply (it counts whole seconds)");
            return Optional.empty();
        }
        return value;
    }

    /** The socket timeout must leave the server time to cancel a slow query itself (its error says what happened). */
    private static void checkTimeouts(Settings s, Optional<Duration> statement, Optional<Duration> login,
            Optional<Duration> socket) {
        if (login.isPresent() && socket.isPresent() && login.get().compareTo(socket.get()) > 0) {
            // One wait on a frozen database is a query (socket-timeout) or a login: the promised bound of
            // 2 x socket-timeout + 10 s holds only if a login never waits longer than a query.
            s.error(P + "login-timeout", "= " + render(login.get()) + " must not be longer than offload.database"
                    + ".socket-timeout = " + render(socket.get()) + "; lower login-timeout or raise socket-timeout");
        }
        if (statement.isPresent() && socket.isPresent() && socket.get().compareTo(statement.get()) <= 0) {
            s.error(P + "socket-timeout", "= " + render(socket.get()) + " must be longer than offload.database"
                    + ".statement-timeout = " + render(statement.get()) + ", so that PostgreSQL cancels a slow query"
                    + " itself before the connection is given up; raise socket-timeout (e.g. statement-timeout + 60s)");
        }
    }

    private static String render(Duration d) {
        return d.isZero() ? "0" : d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}

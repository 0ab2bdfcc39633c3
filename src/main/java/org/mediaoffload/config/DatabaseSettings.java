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
        Duration statementTimeout = reader.duration(P + "statement-timeout", Duration.ofSeconds(60));
        int fetchSize = reader.integer(P + "fetch-size", 2000);

        if (port < 1 || port > 65535) {
            reader.error(P + "port", "= " + port + " must be between 1 and 65535");
        }
        if (statementTimeout.isNegative()) {
            reader.error(P + "statement-timeout", "must not be negative (0 = no timeout)");
        }
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
                statementTimeout, fetchSize);
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

package org.mediaoffload.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where Synapse's database is. For PostgreSQL either {@code url} (a JDBC URL) or host/port/name is set;
 * a {@code host} that starts with {@code /} is a Unix-socket directory, as libpq reads it.
 *
 * @param libpqOptions further libpq options from database.yaml / homeserver.yaml (e.g. sslmode), passed through
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
        int fetchSize) {

    public boolean usesUnixSocket() {
        return host.map(h -> h.startsWith("/")).orElse(false);
    }

    /** Never prints the password, a password inside the JDBC URL, or libpq options (sslpassword, ...). */
    @Override
    public String toString() {
        return "DatabaseConfig[type=" + type + ", url=" + url.map(Redactor::redactUrl) + ", host=" + host
                + ", port=" + port + ", name=" + name + ", user=" + user + ", password=" + password
                + ", sqlitePath=" + sqlitePath + ", libpqOptions=" + libpqOptions.keySet()
                + ", statementTimeout=" + statementTimeout + ", fetchSize=" + fetchSize + "]";
    }
}

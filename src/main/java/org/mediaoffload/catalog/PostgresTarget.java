package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.Redactor;
import org.mediaoffload.pipeline.CatalogException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC URL and driver properties for one PostgreSQL database, built the way libpq reads the same settings
 * (so a database.yaml or homeserver.yaml that works for Synapse works here).
 *
 * @param description host, port and database for messages; never the password
 * @param password    the password, kept apart so messages can be scrubbed of it
 */
record PostgresTarget(String url, Properties properties, String description, Optional<String> password) {

    static final String APPLICATION_NAME = "synapse-media-offload";
    static final int DEFAULT_PORT = 5432;
    /** libpq's compiled-in socket directories (Debian's first, upstream's second), tried when no host is set. */
    private static final List<String> DEFAULT_SOCKET_DIRS = List.of("/var/run/postgresql", "/tmp");
    private static final Logger LOG = LoggerFactory.getLogger(PostgresTarget.class);

    PostgresTarget {
        requireNonNull(url, "url is null");
        requireNonNull(properties, "properties is null");
        requireNonNull(description, "description is null");
        requireNonNull(password, "password is null");
    }

    static PostgresTarget from(DatabaseConfig config) {
        requireNonNull(config, "config is null");
        Properties props = new Properties();
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("readOnly", "true");
        // loginTimeout bounds the whole connection set-up, authentication included (connectTimeout only the TCP
        // connect); socketTimeout bounds every later read. Both also apply on a Unix socket: the driver enforces
        // loginTimeout itself and sets SO_TIMEOUT on junixsocket's socket like on a TCP one.
        props.setProperty("loginTimeout", Long.toString(wholeSeconds(config.loginTimeout())));
        props.setProperty("connectTimeout", Long.toString(wholeSeconds(config.loginTimeout())));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("socketTimeout", Long.toString(wholeSeconds(config.socketTimeout())));
        // A user in the URL's query wins in PgJDBC, as in libpq; only without one does the OS user apply.
        String user = config.user()
                .or(() -> config.url().flatMap(PostgresTarget::userInQuery))
                .orElseGet(() -> System.getProperty("user.name", "postgres"));
        props.setProperty("user", user);
        Optional<String> password = config.password().map(s -> s.value());
        password.ifPresent(p -> props.setProperty("password", p));
        LibpqOptions.apply(config.libpqOptions(), props);
        if (config.url().isPresent()) {
            String url = config.url().get();
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new CatalogException("offload.database.url must be a JDBC URL starting with jdbc:postgresql:// "
                        + "(got " + Redactor.redactUrl(url) + "); or set host, port and name instead", null);
            }
            return new PostgresTarget(url, props, "PostgreSQL " + Redactor.redactUrl(url) + " as user " + user,
                    password);
        }
        int port = config.port() > 0 ? config.port() : DEFAULT_PORT;
        String name = config.name().orElse(user); // libpq's default database is the user's name
        String host = config.host().orElseGet(() -> defaultHost(port));
        String hostPart;
        String where;
        if (host.startsWith("/")) {
            Path socket = Path.of(host).resolve(".s.PGSQL." + port);
            props.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
            props.setProperty("socketFactoryArg", socket.toString());
            props.setProperty("sslmode", "disable"); // libpq never uses TLS on a Unix socket either
            hostPart = "localhost:" + port;
            where = "Unix socket " + socket;
        } else {
            hostPart = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
            where = "host " + host + " port " + port;
        }
        String url = "jdbc:postgresql://" + hostPart + "/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return new PostgresTarget(url, props,
                "PostgreSQL database \"" + name + "\" at " + where + " as user " + user, password);
    }

    @Override
    public String toString() {
        return description;
    }

    /** The driver counts whole seconds, and reads 0 as "wait forever": never let a short duration round to 0. */
    private static long wholeSeconds(Duration timeout) {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    private static String defaultHost(int port) {
        for (String dir : DEFAULT_SOCKET_DIRS) {
            if (Files.exists(Path.of(dir, ".s.PGSQL." + port))) {
                LOG.info("offload.database has no host; using libpq's default Unix socket directory {}", dir);
                return dir;
            }
        }
        LOG.info("offload.database has no host and no local Unix socket was found; using localhost");
        return "localhost";
    }

    private static Optional<String> userInQuery(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        for (String pair : url.substring(q + 1).split("&")) {
            if (pair.regionMatches(true, 0, "user=", 0, 5) && pair.length() > 5) {
                return Optional.of(java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}

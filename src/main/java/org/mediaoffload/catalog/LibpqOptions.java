package org.mediaoffload.catalog;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the libpq options of a database.yaml / homeserver.yaml over to PgJDBC's names. Options PgJDBC has no
 * equivalent for are ignored with a DEBUG line (their values may be secrets, so only the key is logged).
 */
final class LibpqOptions {

    private static final Logger LOG = LoggerFactory.getLogger(LibpqOptions.class);

    private static final Map<String, String> RENAMED = Map.of(
            "sslmode", "sslmode",
            "sslrootcert", "sslrootcert",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "sslpassword", "sslpassword",
            "sslnegotiation", "sslNegotiation",
            "connect_timeout", "connectTimeout",
            "gssencmode", "gssEncMode",
            "channel_binding", "channelBinding",
            "require_auth", "requireAuth");

    /** Connection basics that the configuration records carry themselves. */
    private static final Set<String> HANDLED_ELSEWHERE =
            Set.of("host", "hostaddr", "port", "user", "password", "dbname", "database");

    private LibpqOptions() {}

    static void apply(Map<String, String> options, Properties props) {
        if (options == null) {
            return;
        }
        options.forEach((rawKey, value) -> {
            String key = rawKey.toLowerCase(Locale.ROOT);
            if (RENAMED.containsKey(key)) {
                props.setProperty(RENAMED.get(key), value);
            } else if (key.equals("keepalives")) {
                props.setProperty("tcpKeepAlive", Boolean.toString(!value.trim().equals("0")));
            } else if (key.equals("target_session_attrs")) {
                applyTargetSessionAttrs(value, props);
            } else if (key.startsWith("cp_")) {
                LOG.debug("ignoring database option {}: a Twisted connection-pool setting of Synapse", rawKey);
            } else if (key.equals("application_name")) {
                LOG.debug("ignoring database option {}: this tool always connects as {}", rawKey,
                        PostgresTarget.APPLICATION_NAME);
            } else if (!HANDLED_ELSEWHERE.contains(key)) {
                LOG.debug("ignoring database option {}: PgJDBC has no equivalent", rawKey);
            }
        });
    }

    private static void applyTargetSessionAttrs(String value, Properties props) {
        String mapped = switch (value.trim()) {
            case "any" -> "any";
            case "read-write", "primary" -> "primary";
            case "standby", "read-only" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            default -> null;
        };
        if (mapped == null) {
            LOG.debug("ignoring target_session_attrs={}: no PgJDBC equivalent", value);
        } else {
            props.setProperty("targetServerType", mapped);
        }
    }
}

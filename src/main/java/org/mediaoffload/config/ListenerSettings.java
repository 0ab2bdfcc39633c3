package org.mediaoffload.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Builds {@link HttpConfig} and {@link MetricsConfig}; refuses an admin API reachable from outside without a token. */
final class ListenerSettings {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private ListenerSettings() {}

    static HttpConfig http(SettingsReader reader, SecretReader secrets) {
        String bind = bind(reader, "offload.http.bind");
        int port = port(reader, "offload.http.port", 8457);
        Optional<Secret> adminToken = secrets.read("offload.http.admin-token");
        if (port != -1 && adminToken.isEmpty() && !isLoopback(bind)) {
            reader.error("offload.http.bind", "= " + bind + " is reachable from other hosts, but no admin token is"
                    + " set: set offload.http.admin-token-file (or admin-token), or bind to 127.0.0.1");
        }
        return new HttpConfig(bind, port, adminToken);
    }

    static MetricsConfig metrics(SettingsReader reader, HttpConfig http) {
        String bind = bind(reader, "offload.metrics.bind");
        int port = port(reader, "offload.metrics.port", -1);
        boolean samePort = port > 0 && port == http.port()
                && (bind.equals(http.bind()) || isWildcard(bind) || isWildcard(http.bind()));
        if (samePort) {
            reader.error("offload.metrics.port", "= " + port + " is also offload.http.port; use another port,"
                    + " or -1 to serve /metrics on the admin API only");
        }
        return new MetricsConfig(bind, port);
    }

    private static String bind(SettingsReader reader, String path) {
        String bind = reader.string(path, "127.0.0.1");
        String bare = bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
        boolean valid = IPV4.matcher(bare).matches() ? validIpv4(bare)
                : IPV6.matcher(bare).matches() || HOSTNAME.matcher(bare).matches();
        if (!valid) {
            reader.error(path, "= \"" + bind + "\" is not an address to listen on; use an IP address such as"
                    + " 127.0.0.1, 0.0.0.0 or ::1, or a host name");
            return "127.0.0.1";
        }
        return bare;
    }

    private static int port(SettingsReader reader, String path, int fallback) {
        int port = reader.integer(path, fallback);
        if (port < -1 || port > 65535) {
            reader.error(path, "= " + port + " must be a port between 1 and 65535, 0 for any free port, or -1 for off");
            return fallback;
        }
        return port;
    }

    static boolean isLoopback(String bind) {
        String lower = bind.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.equals("::1") || lower.equals("0:0:0:0:0:0:0:1")
                || IPV4.matcher(lower).matches() && lower.startsWith("127.");
    }

    private static boolean isWildcard(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("0:0:0:0:0:0:0:0");
    }

    private static boolean validIpv4(String address) {
        for (String part : address.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}

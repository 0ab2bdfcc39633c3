package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code offload.path-map}: container path prefix to host path prefix. The playbook writes paths as its
 * containers see them ({@code /matrix-media-store-parent/...}, {@code /run-postgres}); we run on the host.
 * Longest matching prefix wins, and only on whole path components, so {@code /run} never maps {@code /run-postgres}.
 */
final class PathMap {
    static final String SETTING = "offload.path-map";
    static final String PLAYBOOK_EXAMPLE = "e.g. path-map { \"/matrix-media-store-parent\" = \"/matrix/synapse/storage\","
            + " \"/run-postgres\" = \"/matrix/postgres/run\" } as in config/playbook-host.conf";

    private final Map<String, String> prefixes;

    PathMap(Map<String, String> prefixes) {
        this.prefixes = Map.copyOf(requireNonNull(prefixes, "prefixes is null"));
    }

    static PathMap empty() {
        return new PathMap(Map.of());
    }

    /** Reads the map from a (possibly partial) configuration; bad entries are reported and left out. */
    static PathMap read(Config config, Problems problems) {
        if (!config.hasPath(SETTING)) {
            return empty();
        }
        ConfigValue raw = config.getValue(SETTING);
        if (raw.valueType() != ConfigValueType.OBJECT) {
            problems.error(SETTING + " (" + Problems.origin(raw.origin()) + ") must be an object of"
                    + " \"container prefix\" = \"host prefix\" entries");
            return empty();
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) raw).entrySet()) {
            String from = entry.getKey();
            ConfigValue to = entry.getValue();
            String where = SETTING + " \"" + from + "\" (" + Problems.origin(to.origin()) + ")";
            if (to.valueType() != ConfigValueType.STRING) {
                problems.error(where + " must map to a host path string");
            } else if (!from.startsWith("/") || !((String) to.unwrapped()).startsWith("/")) {
                problems.error(where + " must map an absolute container path to an absolute host path,"
                        + " e.g. \"/run-postgres\" = \"/matrix/postgres/run\"");
            } else {
                prefixes.put(trimTrailingSlash(from), trimTrailingSlash((String) to.unwrapped()));
            }
        }
        return new PathMap(prefixes);
    }

    /** The host path for {@code path}, or empty when no prefix matches. */
    Optional<String> map(String path) {
        String best = null;
        for (String prefix : prefixes.keySet()) {
            boolean matches = path.equals(prefix) || path.startsWith(prefix.equals("/") ? "/" : prefix + "/");
            if (matches && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        // rest is "" or starts with "/": matching is on whole components.
        String rest = best.equals("/") ? path : path.substring(best.length());
        String target = prefixes.get(best);
        if (target.equals("/")) {
            return Optional.of(rest.isEmpty() ? "/" : rest);
        }
        return Optional.of(target + (rest.equals("/") ? "" : rest));
    }

    private static String trimTrailingSlash(String path) {
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}

package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configuration layers, later over earlier, merged with Typesafe's fallback chain plus one normalising step:
 * settings that come as alternatives replace each other instead of merging key by key. A layer's
 * {@code secret-access-key-file} removes {@code secret-access-key} from the layers below (and the other way round),
 * a JDBC {@code url} removes {@code host}/{@code name} (and the other way round), and a drop-in file that names a
 * database at all replaces the whole connection below, as database.yaml replaced homeserver.yaml upstream.
 * Whatever the step removed comes back from reference.conf.
 */
final class Layers {
    static final List<String> SECRETS = List.of(
            "offload.database.password",
            "offload.s3.access-key-id",
            "offload.s3.secret-access-key",
            "offload.s3.session-token",
            "offload.s3.sse-customer-key",
            "offload.http.admin-token");
    private static final List<String> CONNECTION = List.of(
            "offload.database.type", "offload.database.url", "offload.database.host", "offload.database.port",
            "offload.database.name", "offload.database.user", "offload.database.password",
            "offload.database.password-file", "offload.database.sqlite-path", "offload.database.options");
    private static final List<String> URL = List.of("offload.database.url");
    private static final List<String> HOST_AND_NAME = List.of("offload.database.host", "offload.database.name");

    /** A path value taken from a drop-in file, before and after {@code offload.path-map}. */
    record PathValue(String setting, String origin, String raw, Optional<String> mapped) {}

    private final Config reference;
    private final List<PathValue> dropInPaths = new ArrayList<>();
    private Config merged;

    Layers(Config reference) {
        this.reference = requireNonNull(reference, "reference is null");
        this.merged = reference;
    }

    /** Puts a layer on top. */
    void add(Config layer) {
        Config below = merged;
        for (String secret : SECRETS) {
            below = withoutIfSet(below, layer, List.of(secret, secret + "-file"), List.of(secret, secret + "-file"));
        }
        below = withoutIfSet(below, layer, URL, HOST_AND_NAME);
        below = withoutIfSet(below, layer, HOST_AND_NAME, URL);
        merged = layer.withFallback(below);
    }

    /** Puts a drop-in file's layer on top; if it names a database at all, it replaces the whole connection below. */
    void add(DropIn dropIn) {
        Config layer = dropIn.config;
        merged = withoutIfSet(merged, layer, CONNECTION, CONNECTION);
        add(layer);
        dropInPaths.addAll(dropIn.paths);
    }

    Config merged() {
        return merged.withFallback(reference);
    }

    List<PathValue> dropInPaths() {
        return List.copyOf(dropInPaths);
    }

    private static Config withoutIfSet(Config below, Config layer, List<String> when, List<String> removes) {
        if (when.stream().noneMatch(layer::hasPathOrNull)) {
            return below;
        }
        Config result = below;
        for (String path : removes) {
            result = result.withoutPath(path);
        }
        return result;
    }

    /**
     * The settings one drop-in file (env file, database.yaml, homeserver.yaml) or the process environment provides.
     * Every value carries its own origin (file, line, key) so that validation errors name it.
     */
    static final class DropIn {
        private final PathMap pathMap;
        private final List<PathValue> paths = new ArrayList<>();
        private Config config = ConfigFactory.empty();

        DropIn(PathMap pathMap) {
            this.pathMap = requireNonNull(pathMap, "pathMap is null");
        }

        /** Sets {@code setting} (a HOCON path) unless the value is empty, which counts as unset. */
        void set(String setting, String value, String origin) {
            if (value != null && !value.isEmpty()) {
                config = config.withValue(setting, ConfigValueFactory.fromAnyRef(value, origin));
            }
        }

        /** Sets a filesystem path, translated from container to host by {@code offload.path-map}. */
        void setPath(String setting, String value, String origin) {
            if (value == null || value.isEmpty()) {
                return;
            }
            Optional<String> mapped = pathMap.map(value);
            String describedOrigin = mapped.isPresent() ? origin + ", " + value + " mapped by " + PathMap.SETTING : origin;
            paths.add(new PathValue(setting, describedOrigin, value, mapped));
            set(setting, mapped.orElse(value), describedOrigin);
        }

        Config config() {
            return config;
        }
    }
}

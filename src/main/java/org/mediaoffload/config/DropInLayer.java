package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The settings one drop-in file (env file, database.yaml, homeserver.yaml) or the process environment provides,
 * as a HOCON layer. Every value carries its own origin (file, line, key) so that validation errors name it.
 */
final class DropInLayer {
    /** A path value taken from a drop-in file, before and after {@code offload.path-map}. */
    record PathValue(String setting, String origin, String raw, Optional<String> mapped) {}

    private final PathMap pathMap;
    private final List<PathValue> paths = new ArrayList<>();
    private Config config = ConfigFactory.empty();

    DropInLayer(PathMap pathMap) {
        this.pathMap = requireNonNull(pathMap, "pathMap is null");
    }

    /** Sets {@code setting} (a HOCON path under offload) unless the value is empty, which counts as unset. */
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
        String describedOrigin = mapped.isPresent()
                ? origin + ", " + value + " mapped by " + PathMap.SETTING
                : origin;
        paths.add(new PathValue(setting, describedOrigin, value, mapped));
        set(setting, mapped.orElse(value), describedOrigin);
    }

    Config config() {
        return config;
    }

    List<PathValue> paths() {
        return List.copyOf(paths);
    }
}

package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * Stacks the configuration layers, later over earlier. Plain HOCON fallback merges key by key, which is wrong for
 * settings that come as alternatives: a later layer's {@code secret-access-key-file} must replace an earlier
 * layer's {@code secret-access-key} (not collide with it), a JDBC {@code url} replaces {@code host}/{@code name},
 * and a drop-in database file replaces the whole connection, as database.yaml replaced homeserver.yaml upstream.
 */
final class ConfigLayers {
    static final List<String> SECRETS = List.of(
            "offload.database.password",
            "offload.s3.access-key-id",
            "offload.s3.secret-access-key",
            "offload.s3.session-token",
            "offload.s3.sse-customer-key",
            "offload.http.admin-token");
    static final List<String> CONNECTION = List.of(
            "offload.database.type", "offload.database.url", "offload.database.host", "offload.database.port",
            "offload.database.name", "offload.database.user", "offload.database.password",
            "offload.database.password-file", "offload.database.sqlite-path", "offload.database.options");

    /** Setting any of {@code when} in a layer removes {@code removes} from the layers below. */
    private record Alternative(List<String> when, List<String> removes) {}

    private static final List<Alternative> ALTERNATIVES = alternatives();

    private final Config reference;
    private Config merged;

    ConfigLayers(Config reference) {
        this.reference = requireNonNull(reference, "reference is null");
        this.merged = reference;
    }

    /** Puts a layer on top. */
    void add(Config layer) {
        add(layer, false);
    }

    /** Puts a drop-in layer on top; if it names a database at all, it replaces the whole connection below. */
    void addDropIn(Config layer) {
        add(layer, CONNECTION.stream().anyMatch(layer::hasPathOrNull));
    }

    private void add(Config layer, boolean replacesConnection) {
        Config below = merged;
        if (replacesConnection) {
            below = without(below, CONNECTION);
        }
        for (Alternative alternative : ALTERNATIVES) {
            if (alternative.when().stream().anyMatch(layer::hasPathOrNull)) {
                below = without(below, alternative.removes());
            }
        }
        merged = layer.withFallback(below);
    }

    /** Everything merged; defaults that an alternative removed come back from reference.conf. */
    Config merged() {
        return merged.withFallback(reference);
    }

    private static Config without(Config config, List<String> paths) {
        Config result = config;
        for (String path : paths) {
            result = result.withoutPath(path);
        }
        return result;
    }

    private static List<Alternative> alternatives() {
        List<Alternative> alternatives = new ArrayList<>();
        for (String secret : SECRETS) {
            List<String> both = List.of(secret, secret + "-file");
            alternatives.add(new Alternative(both, both));
        }
        alternatives.add(new Alternative(List.of("offload.database.url"),
                List.of("offload.database.host", "offload.database.name")));
        alternatives.add(new Alternative(List.of("offload.database.host", "offload.database.name"),
                List.of("offload.database.url")));
        return List.copyOf(alternatives);
    }
}

package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigUtil;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * psycopg2 keyword arguments (database.yaml's flat form, homeserver.yaml's {@code database.args}) as our
 * {@code offload.database} settings: the well-known ones by name, every other libpq keyword into
 * {@code offload.database.options}, which the catalog passes on.
 */
final class LibpqArgs {
    private final YamlDocument document;
    private final DropInLayer layer;
    private final Problems problems;

    LibpqArgs(YamlDocument document, DropInLayer layer, Problems problems) {
        this.document = requireNonNull(document, "document is null");
        this.layer = requireNonNull(layer, "layer is null");
        this.problems = requireNonNull(problems, "problems is null");
    }

    /**
     * @param args      the mapping of keyword arguments
     * @param keyPrefix how the file names the mapping, for messages ("postgres.", "database.args.")
     */
    void read(MappingNode args, String keyPrefix) {
        Map<String, Node> entries = YamlDocument.entries(args);
        layer.set("offload.database.type", "postgres", document.where(args, keyPrefix.isEmpty() ? "document" : keyPrefix));
        if (entries.containsKey("database") && entries.containsKey("dbname")) {
            problems.error(document.where(entries.get("dbname"), keyPrefix + "dbname") + ": both database and dbname"
                    + " are set; psycopg2 refuses that too. Keep one of them.");
        }
        for (Map.Entry<String, Node> entry : entries.entrySet()) {
            read(entry.getKey(), entry.getValue(), keyPrefix);
        }
    }

    private void read(String key, Node value, String keyPrefix) {
        String origin = document.where(value, keyPrefix + key);
        if (key.startsWith("cp_")) {
            return; // Twisted connection-pool options, not libpq's (upstream drops them the same way)
        }
        if (!YamlDocument.isScalar(value)) {
            problems.error(origin + ": expected a single value, found a " + YamlDocument.kind(value));
            return;
        }
        Optional<String> text = YamlDocument.text(value);
        if (text.isEmpty()) {
            return;
        }
        switch (key) {
            case "user" -> layer.set("offload.database.user", text.get(), origin);
            case "password" -> layer.set("offload.database.password", text.get(), origin);
            case "database", "dbname" -> layer.set("offload.database.name", text.get(), origin);
            case "port" -> layer.set("offload.database.port", text.get(), origin);
            case "host" -> {
                // A leading "/" is a Unix-socket directory (libpq), a path the playbook gives as its container sees it.
                if (text.get().startsWith("/")) {
                    layer.setPath("offload.database.host", text.get(), origin);
                } else {
                    layer.set("offload.database.host", text.get(), origin);
                }
            }
            default -> layer.set(ConfigUtil.joinPath("offload", "database", "options", key), text.get(), origin);
        }
    }
}

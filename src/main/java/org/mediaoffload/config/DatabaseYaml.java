package org.mediaoffload.config;

import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * s3_media_upload's {@code database.yaml} ({@code --database-yaml}), read as upstream reads it: a top-level
 * {@code sqlite:} mapping (its {@code database} is the file), else a {@code postgres:} mapping, else the whole
 * document as psycopg2 keyword arguments (the playbook's flat form). Also reads psycopg2 arguments for
 * homeserver.yaml's {@code database.args}.
 */
final class DatabaseYaml {
    private DatabaseYaml() {}

    static void read(Path file, Layers.DropIn layer, Problems problems) {
        Optional<YamlDocument> read = YamlDocument.read("database.yaml", file, problems);
        if (read.isEmpty()) {
            return;
        }
        YamlDocument document = read.get();
        Map<String, Node> entries = YamlDocument.entries(document.root());
        if (entries.containsKey("sqlite")) {
            Node sqlite = entries.get("sqlite");
            Optional<Node> database = sqlite instanceof MappingNode mapping
                    ? YamlDocument.child(mapping, "database")
                    : Optional.empty();
            Optional<String> path = database.flatMap(YamlDocument::text);
            if (path.isEmpty()) {
                problems.error(document.where(sqlite, "sqlite") + ": expected a mapping with the database file,"
                        + " e.g. sqlite: { database: /path/to/homeserver.db }");
                return;
            }
            layer.set("offload.database.type", "sqlite", document.where(sqlite, "sqlite"));
            layer.setPath("offload.database.sqlite-path", path.get(), document.where(database.get(), "sqlite.database"));
        } else if (entries.containsKey("postgres")) {
            if (entries.get("postgres") instanceof MappingNode mapping) {
                readLibpqArgs(document, mapping, "postgres.", layer, problems);
            } else {
                problems.error(document.where(entries.get("postgres"), "postgres") + ": expected a mapping of"
                        + " connection arguments (user, password, dbname, host, port, ...)");
            }
        } else {
            readLibpqArgs(document, document.root(), "", layer, problems);
        }
    }

    /**
     * psycopg2 keyword arguments as our {@code offload.database} settings: the well-known ones by name, every other
     * libpq keyword into {@code offload.database.options}, which the catalog passes on.
     *
     * @param keyPrefix how the file names the mapping, for messages ("postgres.", "database.args.")
     */
    static void readLibpqArgs(YamlDocument document, MappingNode args, String keyPrefix, Layers.DropIn layer,
            Problems problems) {
        Map<String, Node> entries = YamlDocument.entries(args);
        layer.set("offload.database.type", "postgres", document.where(args, keyPrefix.isEmpty() ? "document" : keyPrefix));
        if (entries.containsKey("database") && entries.containsKey("dbname")) {
            problems.error(document.where(entries.get("dbname"), keyPrefix + "dbname") + ": both database and dbname"
                    + " are set; psycopg2 refuses that too. Keep one of them.");
        }
        for (Map.Entry<String, Node> entry : entries.entrySet()) {
            String key = entry.getKey();
            String origin = document.where(entry.getValue(), keyPrefix + key);
            if (key.startsWith("cp_")) {
                continue; // Twisted connection-pool options, not libpq's (upstream drops them the same way)
            }
            if (!YamlDocument.isScalar(entry.getValue())) {
                problems.error(origin + ": expected a single value, found a " + YamlDocument.kind(entry.getValue()));
                continue;
            }
            Optional<String> text = YamlDocument.text(entry.getValue());
            text.ifPresent(value -> {
                switch (key) {
                    case "user" -> layer.set("offload.database.user", value, origin);
                    case "password" -> layer.set("offload.database.password", value, origin);
                    case "database", "dbname" -> layer.set("offload.database.name", value, origin);
                    case "port" -> layer.set("offload.database.port", value, origin);
                    // A leading "/" is a Unix-socket directory (libpq), a path as the playbook's container sees it.
                    case "host" -> {
                        if (value.startsWith("/")) {
                            layer.setPath("offload.database.host", value, origin);
                        } else {
                            layer.set("offload.database.host", value, origin);
                        }
                    }
                    default -> layer.set(ConfigUtil.joinPath("offload", "database", "options", key), value, origin);
                }
            });
        }
    }
}

package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * s3_media_upload's {@code database.yaml} ({@code --database-yaml}), read as upstream reads it: a top-level
 * {@code sqlite:} mapping (its {@code database} is the file), else a {@code postgres:} mapping, else the whole
 * document as psycopg2 keyword arguments (the playbook's flat form).
 */
final class DatabaseYamlSource {
    private final Path file;

    DatabaseYamlSource(Path file) {
        this.file = requireNonNull(file, "file is null");
    }

    void readInto(DropInLayer layer, Problems problems) {
        Optional<YamlDocument> read = YamlDocument.read("database.yaml", file, problems);
        if (read.isEmpty()) {
            return;
        }
        YamlDocument document = read.get();
        Map<String, Node> entries = YamlDocument.entries(document.root());
        if (entries.containsKey("sqlite")) {
            readSqlite(document, entries.get("sqlite"), layer, problems);
        } else if (entries.containsKey("postgres")) {
            Node postgres = entries.get("postgres");
            if (postgres instanceof MappingNode mapping) {
                new LibpqArgs(document, layer, problems).read(mapping, "postgres.");
            } else {
                problems.error(document.where(postgres, "postgres") + ": expected a mapping of connection"
                        + " arguments (user, password, dbname, host, port, ...)");
            }
        } else {
            new LibpqArgs(document, layer, problems).read(document.root(), "");
        }
    }

    private static void readSqlite(YamlDocument document, Node sqlite, DropInLayer layer, Problems problems) {
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
    }
}

package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Synapse's {@code homeserver.yaml} ({@code --homeserver-config}): where the database is ({@code database:}, or the
 * {@code databases:} entry holding the {@code main} store, or legacy {@code database_path}) and
 * {@code media_store_path}. Read as Synapse reads them: engine {@code sqlite3} unless named, {@code cp_*} pool
 * options dropped.
 */
final class HomeserverConfigSource {
    static final String ROLE = "homeserver.yaml";

    private final Path file;

    HomeserverConfigSource(Path file) {
        this.file = requireNonNull(file, "file is null");
    }

    void readInto(DropInLayer layer, Problems problems) {
        Optional<YamlDocument> read = YamlDocument.read(ROLE, file, problems);
        if (read.isEmpty()) {
            return;
        }
        YamlDocument document = read.get();
        Map<String, Node> entries = YamlDocument.entries(document.root());
        readDatabase(document, entries, layer, problems);
        Node mediaStore = entries.get("media_store_path");
        if (mediaStore != null) {
            YamlDocument.text(mediaStore).ifPresent(
                    path -> layer.setPath("offload.media-store-path", path, document.where(mediaStore, "media_store_path")));
        }
        Node localStorage = entries.get("enable_local_media_storage");
        if (localStorage != null && !YamlDocument.bool(localStorage).orElse(true)) {
            problems.warning(document.where(localStorage, "enable_local_media_storage") + " is false: Synapse keeps"
                    + " no local media, so there is little or nothing to offload");
        }
    }

    private static void readDatabase(YamlDocument document, Map<String, Node> entries, DropInLayer layer,
            Problems problems) {
        Node single = entries.get("database");
        Node multiple = entries.get("databases");
        if (single != null && multiple != null) {
            problems.error(document.where(multiple, "databases") + ": both database and databases are set;"
                    + " Synapse refuses that too");
        } else if (single != null) {
            readConnection(document, single, "database", layer, problems);
        } else if (multiple != null) {
            mainStore(document, multiple, problems)
                    .ifPresent(entry -> readConnection(document, entry.node(), "databases." + entry.name(), layer, problems));
        } else if (entries.containsKey("database_path")) {
            Node path = entries.get("database_path");
            layer.set("offload.database.type", "sqlite", document.where(path, "database_path"));
            YamlDocument.text(path).ifPresent(
                    p -> layer.setPath("offload.database.sqlite-path", p, document.where(path, "database_path")));
        }
    }

    private record NamedEntry(String name, Node node) {}

    /** The {@code databases:} entry holding the media tables: the one whose data_stores include main. */
    private static Optional<NamedEntry> mainStore(YamlDocument document, Node databases, Problems problems) {
        if (!(databases instanceof MappingNode mapping)) {
            problems.error(document.where(databases, "databases") + ": expected a mapping of database entries");
            return Optional.empty();
        }
        List<NamedEntry> withoutStores = new ArrayList<>();
        for (Map.Entry<String, Node> entry : YamlDocument.entries(mapping).entrySet()) {
            Optional<Node> stores = entry.getValue() instanceof MappingNode db
                    ? YamlDocument.child(db, "data_stores")
                    : Optional.empty();
            if (stores.isEmpty()) {
                withoutStores.add(new NamedEntry(entry.getKey(), entry.getValue()));
            } else if (stores.get() instanceof SequenceNode list
                    && list.getValue().stream().anyMatch(item -> YamlDocument.text(item).orElse("").equals("main"))) {
                return Optional.of(new NamedEntry(entry.getKey(), entry.getValue()));
            }
        }
        // Synapse gives an entry without data_stores both stores when it is called "master"; a lone entry is the same.
        Optional<NamedEntry> master = withoutStores.stream().filter(e -> e.name().equals("master")).findFirst();
        if (master.isPresent() || withoutStores.size() == 1 && YamlDocument.entries(mapping).size() == 1) {
            return master.or(() -> Optional.of(withoutStores.get(0)));
        }
        problems.error(document.where(databases, "databases") + ": no entry has data_stores containing main,"
                + " which holds the media tables");
        return Optional.empty();
    }

    private static void readConnection(YamlDocument document, Node node, String key, DropInLayer layer,
            Problems problems) {
        if (!(node instanceof MappingNode db)) {
            problems.error(document.where(node, key) + ": expected a mapping with name and args");
            return;
        }
        Map<String, Node> entries = YamlDocument.entries(db);
        String engine = Optional.ofNullable(entries.get("name")).flatMap(YamlDocument::text).orElse("sqlite3");
        Node args = entries.get("args");
        if (args != null && !(args instanceof MappingNode)) {
            problems.error(document.where(args, key + ".args") + ": expected a mapping of connection arguments");
            return;
        }
        MappingNode argsMapping = (MappingNode) args;
        if (engine.equals("psycopg2")) {
            if (argsMapping == null) {
                problems.error(document.where(node, key) + ": psycopg2 needs args (user, password, dbname, host, ...)");
                return;
            }
            new LibpqArgs(document, layer, problems).read(argsMapping, key + ".args.");
        } else if (engine.equals("sqlite3")) {
            Optional<Node> path = argsMapping == null ? Optional.empty() : YamlDocument.child(argsMapping, "database");
            layer.set("offload.database.type", "sqlite", document.where(node, key + ".name"));
            path.ifPresent(p -> YamlDocument.text(p).ifPresent(text -> layer.setPath(
                    "offload.database.sqlite-path", text, document.where(p, key + ".args.database"))));
        } else {
            problems.error(document.where(node, key + ".name") + ": database engine must be psycopg2 or sqlite3,"
                    + " as Synapse requires, not " + engine);
        }
    }
}

package org.mediaoffload.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Synapse's {@code homeserver.yaml} ({@code --homeserver-config}), parsed once per load. Gives where the database is
 * ({@code database:}, or the {@code databases:} entry holding the {@code main} store, or legacy
 * {@code database_path}) and {@code media_store_path}, read as Synapse reads them (engine {@code sqlite3} unless
 * named, {@code cp_*} pool options dropped), and the S3 storage provider's entry.
 */
final class HomeserverYaml {
    static final String ROLE = "homeserver.yaml";
    private static final String MODULE = "s3_storage_provider.S3StorageProviderBackend";

    private final YamlDocument document;

    private HomeserverYaml(YamlDocument document) {
        this.document = document;
    }

    static Optional<HomeserverYaml> read(Path file, Problems problems) {
        return YamlDocument.read(ROLE, file, problems).map(HomeserverYaml::new);
    }

    /** The database and the media store, as a drop-in layer. */
    void readInto(Layers.DropIn layer, Problems problems) {
        Map<String, Node> entries = YamlDocument.entries(document.root());
        Node single = entries.get("database");
        Node multiple = entries.get("databases");
        if (single != null && multiple != null) {
            problems.error(document.where(multiple, "databases") + ": both database and databases are set;"
                    + " Synapse refuses that too");
        } else if (single != null) {
            readConnection(single, "database", layer, problems);
        } else if (multiple != null) {
            mainStore(multiple, problems).ifPresent(e -> readConnection(e.node(), "databases." + e.name(), layer, problems));
        } else if (entries.containsKey("database_path")) {
            Node path = entries.get("database_path");
            layer.set("offload.database.type", "sqlite", document.where(path, "database_path"));
            YamlDocument.text(path).ifPresent(
                    p -> layer.setPath("offload.database.sqlite-path", p, document.where(path, "database_path")));
        }
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

    private record NamedEntry(String name, Node node) {}

    /** The {@code databases:} entry holding the media tables: the one whose data_stores include main. */
    private Optional<NamedEntry> mainStore(Node databases, Problems problems) {
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

    private void readConnection(Node node, String key, Layers.DropIn layer, Problems problems) {
        if (!(node instanceof MappingNode db)) {
            problems.error(document.where(node, key) + ": expected a mapping with name and args");
            return;
        }
        Map<String, Node> entries = YamlDocument.entries(db);
        String engine = Optional.ofNullable(entries.get("name")).flatMap(YamlDocument::text).orElse("sqlite3");
        Node args = entries.get("args");
        if (args != null && !(args instanceof MappingNode)) {
            problems.error(document.where(args, key + ".args") + ": expected a mapping of connection arguments");
        } else if (engine.equals("psycopg2") && args == null) {
            problems.error(document.where(node, key) + ": psycopg2 needs args (user, password, dbname, host, ...)");
        } else if (engine.equals("psycopg2")) {
            DatabaseYaml.readLibpqArgs(document, (MappingNode) args, key + ".args.", layer, problems);
        } else if (engine.equals("sqlite3")) {
            layer.set("offload.database.type", "sqlite", document.where(node, key + ".name"));
            Optional.ofNullable((MappingNode) args).flatMap(a -> YamlDocument.child(a, "database")).ifPresent(p ->
                    YamlDocument.text(p).ifPresent(text -> layer.setPath(
                            "offload.database.sqlite-path", text, document.where(p, key + ".args.database"))));
        } else {
            problems.error(document.where(node, key + ".name") + ": database engine must be psycopg2 or sqlite3,"
                    + " as Synapse requires, not " + engine);
        }
    }

    /**
     * The S3 storage provider's entry in {@code media_storage_providers}. When several are listed the first wins:
     * Synapse asks providers in order, so the first one that has the object serves it.
     */
    Optional<ProviderSettings> provider(Problems problems) {
        Optional<Node> providers = YamlDocument.child(document.root(), "media_storage_providers");
        if (providers.isEmpty() || !(providers.get() instanceof SequenceNode list)) {
            return Optional.empty();
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            if (list.getValue().get(i) instanceof MappingNode entry
                    && YamlDocument.child(entry, "module").flatMap(YamlDocument::text).filter(MODULE::equals).isPresent()) {
                return provider(entry, "media_storage_providers[" + i + "]", problems);
            }
        }
        return Optional.empty();
    }

    private Optional<ProviderSettings> provider(MappingNode entry, String key, Problems problems) {
        Map<String, Node> flags = YamlDocument.entries(entry);
        if (!(flags.get("config") instanceof MappingNode configMapping)) {
            problems.error(document.where(entry, key) + ": the S3 provider has no config mapping");
            return Optional.empty();
        }
        Map<String, Node> config = YamlDocument.entries(configMapping);
        Optional<String> bucket = text(config, "bucket");
        if (bucket.isEmpty()) {
            problems.error(document.where(configMapping, key + ".config.bucket") + ": the S3 provider has no bucket");
            return Optional.empty();
        }
        return Optional.of(new ProviderSettings(document.where(entry, key), bucket.get(),
                text(config, "prefix").orElse(""), text(config, "endpoint_url"), text(config, "region_name"),
                text(config, "sse_customer_key").map(Secret::new), text(config, "sse_customer_algo").orElse("AES256"),
                text(config, "storage_class").orElse("STANDARD"), flag(flags, "store_local"), flag(flags, "store_remote")));
    }

    private static Optional<String> text(Map<String, Node> mapping, String key) {
        return Optional.ofNullable(mapping.get(key)).flatMap(YamlDocument::text).filter(value -> !value.isEmpty());
    }

    /** Synapse's default is false when the flag is missing. */
    private static boolean flag(Map<String, Node> mapping, String key) {
        return Optional.ofNullable(mapping.get(key)).flatMap(YamlDocument::bool).orElse(false);
    }
}

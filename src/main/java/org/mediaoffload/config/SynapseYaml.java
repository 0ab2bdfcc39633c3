package org.mediaoffload.config;

import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mediaoffload.host.FileOwnership;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A Synapse-side YAML file, read once as a node tree with SnakeYAML's safe loader: nothing is instantiated, scalars
 * stay the text the file holds (so a numeric password is not mangled), and every value keeps its line for
 * messages. Parse errors report line and column but never the offending text, which may be a password.
 * <ul>
 *   <li>s3_media_upload's {@code database.yaml}, as upstream reads it: a {@code sqlite:} mapping (its
 *   {@code database} is the file), else a {@code postgres:} mapping, else the whole document as psycopg2 keyword
 *   arguments (the playbook's flat form);
 *   <li>Synapse's {@code homeserver.yaml}: {@code database:} (or the {@code databases:} entry holding the
 *   {@code main} store, or legacy {@code database_path}) and {@code media_store_path}, as Synapse reads them
 *   (engine {@code sqlite3} unless named, {@code cp_*} pool options dropped), and the S3 provider's entry.
 * </ul>
 */
final class SynapseYaml {
    static final String HOMESERVER = "homeserver.yaml";
    private static final String MODULE = "s3_storage_provider.S3StorageProviderBackend";

    private final String role;
    private final Path file;
    private final MappingNode root;

    private SynapseYaml(String role, Path file, MappingNode root) {
        this.role = role;
        this.file = file;
        this.root = root;
    }

    /** @param role what the file is, for messages ("database.yaml", "homeserver.yaml") */
    static Optional<SynapseYaml> read(String role, Path file, Problems problems) {
        String name = role + " " + file;
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node node = new Yaml(new SafeConstructor(options)).compose(reader);
            if (node instanceof MappingNode mapping) {
                return Optional.of(new SynapseYaml(role, file, mapping));
            }
            problems.unreadable(name + " must be a YAML mapping (key: value lines), but "
                    + (node == null ? "it is empty" : "its top level is a " + kind(node)));
        } catch (NoSuchFileException e) {
            problems.unreadable(name + " does not exist");
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            problems.unreadable(name + (mark == null ? "" : " line " + (mark.getLine() + 1) + " column "
                    + (mark.getColumn() + 1)) + " is not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            problems.unreadable(name + " is not valid YAML");
        } catch (IOException e) {
            problems.unreadable(FileOwnership.cannotRead(name, file, e));
        }
        return Optional.empty();
    }

    /** database.yaml's connection, as a drop-in layer. */
    void readDatabaseYaml(Layers.DropIn layer, Problems problems) {
        Map<String, Node> entries = entries(root);
        Node sqlite = entries.get("sqlite");
        Node postgres = entries.get("postgres");
        if (sqlite != null) {
            Optional<Node> database = child(sqlite, "database");
            if (database.flatMap(SynapseYaml::text).isEmpty()) {
                problems.error(where(sqlite, "sqlite") + ": expected a mapping with the database file,"
                        + " e.g. sqlite: { database: /path/to/homeserver.db }");
                return;
            }
            layer.set("offload.database.type", "sqlite", where(sqlite, "sqlite"));
            layer.setPath("offload.database.sqlite-path", text(database.get()).get(),
                    where(database.get(), "sqlite.database"));
        } else if (postgres instanceof MappingNode mapping) {
            readLibpqArgs(mapping, "postgres.", layer, problems);
        } else if (postgres != null) {
            problems.error(where(postgres, "postgres") + ": expected a mapping of connection arguments (user,"
                    + " password, dbname, host, port, ...)");
        } else {
            readLibpqArgs(root, "", layer, problems);
        }
    }

    /** homeserver.yaml's database and media store, as a drop-in layer. */
    void readHomeserverYaml(Layers.DropIn layer, Problems problems) {
        Map<String, Node> entries = entries(root);
        Node single = entries.get("database");
        Node multiple = entries.get("databases");
        Node path = entries.get("database_path");
        if (single != null && multiple != null) {
            problems.error(where(multiple, "databases") + ": both database and databases are set; Synapse refuses that too");
        } else if (single != null) {
            readConnection(single, "database", layer, problems);
        } else if (multiple != null) {
            mainStore(multiple, problems)
                    .ifPresent(e -> readConnection(e.getValue(), "databases." + e.getKey(), layer, problems));
        } else if (path != null) {
            layer.set("offload.database.type", "sqlite", where(path, "database_path"));
            text(path).ifPresent(p -> layer.setPath("offload.database.sqlite-path", p, where(path, "database_path")));
        }
        Node mediaStore = entries.get("media_store_path");
        if (mediaStore != null) {
            text(mediaStore).ifPresent(
                    p -> layer.setPath("offload.media-store-path", p, where(mediaStore, "media_store_path")));
        }
        Node localStorage = entries.get("enable_local_media_storage");
        if (localStorage != null && !bool(localStorage).orElse(true)) {
            problems.warning(where(localStorage, "enable_local_media_storage") + " is false: Synapse keeps no local"
                    + " media, so there is little or nothing to offload");
        }
    }

    /** The {@code databases:} entry holding the media tables: the one whose data_stores include main. */
    private Optional<Map.Entry<String, Node>> mainStore(Node databases, Problems problems) {
        if (!(databases instanceof MappingNode mapping)) {
            problems.error(where(databases, "databases") + ": expected a mapping of database entries");
            return Optional.empty();
        }
        List<Map.Entry<String, Node>> withoutStores = new ArrayList<>();
        for (Map.Entry<String, Node> entry : entries(mapping).entrySet()) {
            Optional<Node> stores = child(entry.getValue(), "data_stores");
            if (stores.isEmpty()) {
                withoutStores.add(entry);
            } else if (stores.get() instanceof SequenceNode list
                    && list.getValue().stream().anyMatch(item -> text(item).orElse("").equals("main"))) {
                return Optional.of(entry);
            }
        }
        // Synapse gives an entry without data_stores both stores when it is called "master"; a lone entry is the same.
        Optional<Map.Entry<String, Node>> master =
                withoutStores.stream().filter(e -> e.getKey().equals("master")).findFirst();
        if (master.isPresent() || withoutStores.size() == 1 && entries(mapping).size() == 1) {
            return master.or(() -> Optional.of(withoutStores.get(0)));
        }
        problems.error(where(databases, "databases") + ": no entry has data_stores containing main, which holds the"
                + " media tables");
        return Optional.empty();
    }

    private void readConnection(Node node, String key, Layers.DropIn layer, Problems problems) {
        if (!(node instanceof MappingNode db)) {
            problems.error(where(node, key) + ": expected a mapping with name and args");
            return;
        }
        String engine = child(db, "name").flatMap(SynapseYaml::text).orElse("sqlite3");
        Node args = child(db, "args").orElse(null);
        if (args != null && !(args instanceof MappingNode)) {
            problems.error(where(args, key + ".args") + ": expected a mapping of connection arguments");
        } else if (engine.equals("psycopg2") && args == null) {
            problems.error(where(node, key) + ": psycopg2 needs args (user, password, dbname, host, ...)");
        } else if (engine.equals("psycopg2")) {
            readLibpqArgs((MappingNode) args, key + ".args.", layer, problems);
        } else if (engine.equals("sqlite3")) {
            layer.set("offload.database.type", "sqlite", where(node, key + ".name"));
            Optional.ofNullable(args).flatMap(a -> child(a, "database")).ifPresent(p -> text(p).ifPresent(text ->
                    layer.setPath("offload.database.sqlite-path", text, where(p, key + ".args.database"))));
        } else {
            problems.error(where(node, key + ".name") + ": database engine must be psycopg2 or sqlite3, as Synapse"
                    + " requires, not " + engine);
        }
    }

    /**
     * psycopg2 keyword arguments as our {@code offload.database} settings: the well-known ones by name, every other
     * libpq keyword into {@code offload.database.options}, which the catalog passes on.
     *
     * @param keyPrefix how the file names the mapping, for messages ("postgres.", "database.args.")
     */
    private void readLibpqArgs(MappingNode args, String keyPrefix, Layers.DropIn layer, Problems problems) {
        Map<String, Node> entries = entries(args);
        layer.set("offload.database.type", "postgres", where(args, keyPrefix.isEmpty() ? "document" : keyPrefix));
        if (entries.containsKey("database") && entries.containsKey("dbname")) {
            problems.error(where(entries.get("dbname"), keyPrefix + "dbname") + ": both database and dbname are set;"
                    + " psycopg2 refuses that too. Keep one of them.");
        }
        entries.forEach((key, value) -> {
            String origin = where(value, keyPrefix + key);
            if (key.startsWith("cp_")) {
                return; // Twisted connection-pool options, not libpq's (upstream drops them the same way)
            }
            if (!(value instanceof ScalarNode)) {
                problems.error(origin + ": expected a single value, found a " + kind(value));
                return;
            }
            String setting = switch (key) {
                case "user", "password", "host", "port" -> "offload.database." + key;
                case "database", "dbname" -> "offload.database.name";
                default -> ConfigUtil.joinPath("offload", "database", "options", key);
            };
            // A host with a leading "/" is a Unix-socket directory (libpq), a path as the playbook's container sees it.
            text(value).ifPresent(text -> {
                if (key.equals("host") && text.startsWith("/")) {
                    layer.setPath(setting, text, origin);
                } else {
                    layer.set(setting, text, origin);
                }
            });
        });
    }

    /**
     * The S3 storage provider's entry in {@code media_storage_providers}. When several are listed the first wins:
     * Synapse asks providers in order, so the first one that has the object serves it.
     */
    Optional<ProviderSettings> provider(Problems problems) {
        List<Node> providers = child(root, "media_storage_providers")
                .map(node -> node instanceof SequenceNode list ? list.getValue() : List.<Node>of()).orElse(List.of());
        for (int i = 0; i < providers.size(); i++) {
            if (child(providers.get(i), "module").flatMap(SynapseYaml::text).filter(MODULE::equals).isPresent()) {
                return provider((MappingNode) providers.get(i), "media_storage_providers[" + i + "]", problems);
            }
        }
        return Optional.empty();
    }

    private Optional<ProviderSettings> provider(MappingNode entry, String key, Problems problems) {
        Map<String, Node> flags = entries(entry);
        if (!(flags.get("config") instanceof MappingNode configMapping)) {
            problems.error(where(entry, key) + ": the S3 provider has no config mapping");
            return Optional.empty();
        }
        Map<String, Node> config = entries(configMapping);
        Optional<String> bucket = text(config, "bucket");
        if (bucket.isEmpty()) {
            problems.error(where(configMapping, key + ".config.bucket") + ": the S3 provider has no bucket");
            return Optional.empty();
        }
        // Synapse's default for a missing store_* flag is false.
        return Optional.of(new ProviderSettings(where(entry, key), bucket.get(), text(config, "prefix").orElse(""),
                text(config, "endpoint_url"), text(config, "region_name"), text(config, "sse_customer_key").map(Secret::new),
                text(config, "sse_customer_algo").orElse("AES256"), text(config, "storage_class").orElse("STANDARD"),
                child(entry, "store_local").flatMap(SynapseYaml::bool).orElse(false),
                child(entry, "store_remote").flatMap(SynapseYaml::bool).orElse(false)));
    }

    /** "database.yaml /data/database.yaml line 4 (host)" */
    private String where(Node node, String key) {
        return role + " " + file + " line " + (node.getStartMark().getLine() + 1) + " (" + key + ")";
    }

    /** The entries of a mapping by key text, later duplicates winning as in PyYAML. */
    private static Map<String, Node> entries(MappingNode mapping) {
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                entries.put(key.getValue(), tuple.getValueNode());
            }
        }
        return entries;
    }

    /** A mapping's entry; empty when absent or when {@code node} is not a mapping. */
    private static Optional<Node> child(Node node, String key) {
        return node instanceof MappingNode mapping ? Optional.ofNullable(entries(mapping).get(key)) : Optional.empty();
    }

    /** The scalar's text, or empty for YAML null ({@code ~}, {@code null}, nothing). */
    private static Optional<String> text(Node node) {
        return node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())
                ? Optional.of(scalar.getValue())
                : Optional.empty();
    }

    private static Optional<String> text(Map<String, Node> mapping, String key) {
        return Optional.ofNullable(mapping.get(key)).flatMap(SynapseYaml::text).filter(value -> !value.isEmpty());
    }

    /**
     * A flag as Synapse reads it: Python truthiness of what PyYAML returns. YAML 1.1 booleans (yes/no, on/off,
     * true/false), integers by value, any other non-empty text is true.
     */
    private static Optional<Boolean> bool(Node node) {
        return text(node).map(value -> Tag.BOOL.equals(node.getTag())
                ? List.of("true", "yes", "on").contains(value.toLowerCase(Locale.ROOT))
                : Tag.INT.equals(node.getTag()) ? !value.replaceAll("[0_+-]", "").isEmpty() : !value.isEmpty());
    }

    private static String kind(Node node) {
        return node instanceof MappingNode ? "mapping" : node instanceof SequenceNode ? "list" : "single value";
    }
}

package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * A YAML file (homeserver.yaml, database.yaml) read as a node tree with SnakeYAML's safe loader: nothing is
 * instantiated, scalars stay the text the file holds (so a numeric password is not mangled), and every value
 * keeps its line for error messages. Parse errors report line and column but not the offending text, which may
 * be a password.
 */
final class YamlDocument {
    private final String role;
    private final Path file;
    private final MappingNode root;

    private YamlDocument(String role, Path file, MappingNode root) {
        this.role = role;
        this.file = file;
        this.root = root;
    }

    /** @param role what the file is, for messages ("database.yaml (--database-yaml)") */
    static Optional<YamlDocument> read(String role, Path file, Problems problems) {
        requireNonNull(role, "role is null");
        requireNonNull(file, "file is null");
        String name = role + " " + file;
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node node = yaml.compose(reader);
            if (node instanceof MappingNode mapping) {
                return Optional.of(new YamlDocument(role, file, mapping));
            }
            problems.unreadable(name + " must be a YAML mapping (key: value lines), but "
                    + (node == null ? "it is empty" : "its top level is a " + kind(node)));
        } catch (NoSuchFileException e) {
            problems.unreadable(name + " does not exist");
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            problems.unreadable(name + (mark == null ? "" : " line " + (mark.getLine() + 1) + " column " + (mark.getColumn() + 1))
                    + " is not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            problems.unreadable(name + " is not valid YAML");
        } catch (IOException e) {
            problems.unreadable(FileOwnership.cannotRead(name, file, e));
        }
        return Optional.empty();
    }

    MappingNode root() {
        return root;
    }

    /** "database.yaml /data/database.yaml line 4 (host)" */
    String where(Node node, String key) {
        return role + " " + file + " line " + (node.getStartMark().getLine() + 1) + " (" + key + ")";
    }

    /** The entries of a mapping by key text, later duplicates winning as in PyYAML. */
    static Map<String, Node> entries(MappingNode mapping) {
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                entries.put(key.getValue(), tuple.getValueNode());
            }
        }
        return entries;
    }

    static Optional<Node> child(MappingNode mapping, String key) {
        return Optional.ofNullable(entries(mapping).get(key));
    }

    /** The scalar's text, or empty for YAML null ({@code ~}, {@code null}, nothing). */
    static Optional<String> text(Node node) {
        if (node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
            return Optional.of(scalar.getValue());
        }
        return Optional.empty();
    }

    /**
     * A flag as Synapse reads it: Python truthiness of what PyYAML returns. YAML 1.1 booleans (yes/no, on/off,
     * true/false), integers by value, any other non-empty text is true.
     */
    static Optional<Boolean> bool(Node node) {
        Optional<String> text = text(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get();
        if (Tag.BOOL.equals(node.getTag())) {
            String lower = value.toLowerCase(Locale.ROOT);
            return Optional.of(lower.equals("true") || lower.equals("yes") || lower.equals("on"));
        }
        if (Tag.INT.equals(node.getTag())) {
            return Optional.of(!value.replaceAll("[0_+-]", "").isEmpty());
        }
        return Optional.of(!value.isEmpty());
    }

    static boolean isScalar(Node node) {
        return node instanceof ScalarNode;
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "mapping";
        }
        return node instanceof SequenceNode ? "list" : "single value";
    }
}

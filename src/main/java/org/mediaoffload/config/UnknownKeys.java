package org.mediaoffload.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rejects settings under {@code offload} that reference.conf does not know, naming the nearest valid key: a typo
 * silently ignored is a setting silently not applied. {@code path-map} and {@code database.options} are free-form.
 */
final class UnknownKeys {
    private static final String ROOT = "offload";
    private static final Set<String> FREE_FORM = Set.of("offload.path-map", "offload.database.options");

    private final Set<String> validKeys = new TreeSet<>();
    private final Set<String> sections = new TreeSet<>();

    UnknownKeys(Config reference) {
        collect(reference.root().get(ROOT), List.of(ROOT));
    }

    /** Every valid setting path, for tests and for suggestions. */
    Set<String> validKeys() {
        return Set.copyOf(validKeys);
    }

    void check(Config merged, Problems problems) {
        ConfigValue root = merged.root().get(ROOT);
        if (root != null && root.valueType() != ConfigValueType.OBJECT) {
            problems.error(ROOT + " (" + Problems.origin(root.origin()) + ") must be an object { ... }");
        } else if (root != null) {
            check((ConfigObject) root, List.of(ROOT), problems);
        }
    }

    /** Top-level keys of our own file other than {@code offload}: usually a forgotten {@code offload { }}. */
    void checkTopLevel(Config file, Problems problems) {
        for (Map.Entry<String, ConfigValue> entry : file.root().entrySet()) {
            if (!entry.getKey().equals(ROOT)) {
                String path = ConfigUtil.joinPath(entry.getKey());
                problems.error(path + " (" + Problems.origin(entry.getValue().origin()) + ") is outside offload { };"
                        + " every setting goes under offload, e.g. offload." + path);
            }
        }
    }

    private void collect(ConfigValue value, List<String> path) {
        String joined = ConfigUtil.joinPath(path);
        if (value instanceof ConfigObject object && !FREE_FORM.contains(joined)) {
            sections.add(joined);
            for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
                collect(entry.getValue(), append(path, entry.getKey()));
            }
        } else {
            validKeys.add(joined);
        }
    }

    private void check(ConfigObject object, List<String> path, Problems problems) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            List<String> childPath = append(path, entry.getKey());
            String joined = ConfigUtil.joinPath(childPath);
            ConfigValue value = entry.getValue();
            if (validKeys.contains(joined)) {
                continue;
            }
            if (sections.contains(joined)) {
                if (value instanceof ConfigObject child) {
                    check(child, childPath, problems);
                } else {
                    problems.error(joined + " (" + Problems.origin(value.origin()) + ") must be an object { ... }");
                }
                continue;
            }
            problems.error(joined + " (" + Problems.origin(value.origin()) + ") is not a known setting; did you mean "
                    + nearest(joined) + "?");
        }
    }

    private String nearest(String unknown) {
        String leaf = unknown.substring(unknown.lastIndexOf('.') + 1);
        return validKeys.stream()
                .min(Comparator.comparingInt((String key) -> distance(unknown, key, leaf)).thenComparing(key -> key))
                .orElse(ROOT);
    }

    private static int distance(String unknown, String key, String leaf) {
        String keyLeaf = key.substring(key.lastIndexOf('.') + 1);
        boolean sameSection = parent(unknown).equals(parent(key));
        if (keyLeaf.equals(leaf)) {
            return 1; // same name in another section (offload.bucket for offload.s3.bucket): the likeliest slip
        }
        // A shortened name (secret-key for secret-access-key): every word of it is in the valid key.
        List<String> words = List.of(leaf.split("-"));
        List<String> keyWords = List.of(keyLeaf.split("-"));
        int byWords = keyWords.containsAll(words)
                ? 1 + keyWords.size() - words.size() + (sameSection ? 0 : 2)
                : Integer.MAX_VALUE;
        return Math.min(byWords, levenshtein(unknown, key));
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<String> append(List<String> path, String key) {
        List<String> result = new ArrayList<>(path);
        result.add(key);
        return result;
    }
}

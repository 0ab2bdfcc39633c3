package org.mediaoffload.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
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
    private static final Set<String> FREE_FORM = Set.of("offload.path-map", "offload.database.options");

    private final Set<String> validKeys = new TreeSet<>();
    private final Set<String> sections = new TreeSet<>();

    UnknownKeys(Config reference) {
        collect(reference.root().get("offload"), "offload");
    }

    /** Every valid setting path, for tests and for suggestions. */
    Set<String> validKeys() {
        return Set.copyOf(validKeys);
    }

    void check(Config merged, Problems problems) {
        ConfigValue root = merged.root().get("offload");
        if (root != null) {
            check(root, "offload", problems);
        }
    }

    /** Top-level keys of our own file other than {@code offload}: usually a forgotten {@code offload { }}. */
    void checkTopLevel(Config file, Problems problems) {
        file.root().forEach((key, value) -> {
            if (!key.equals("offload")) {
                String path = ConfigUtil.joinPath(key);
                problems.error(path + " (" + Problems.origin(value.origin()) + ") is outside offload { }; "
                        + outsideHint(key, path, value));
            }
        });
    }

    private void collect(ConfigValue value, String path) {
        if (value instanceof ConfigObject object && !FREE_FORM.contains(path)) {
            sections.add(path);
            object.forEach((key, child) -> collect(child, path + "." + ConfigUtil.joinPath(key)));
        } else {
            validKeys.add(path);
        }
    }

    /** {@code value} is at a section's path. */
    private void check(ConfigValue value, String path, Problems problems) {
        if (!(value instanceof ConfigObject object)) {
            problems.error(path + " (" + Problems.origin(value.origin()) + ") must be an object { ... }");
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String child = path + "." + ConfigUtil.joinPath(entry.getKey());
            if (sections.contains(child)) {
                check(entry.getValue(), child, problems);
            } else if (!validKeys.contains(child)) {
                problems.error(child + " (" + Problems.origin(entry.getValue().origin()) + ") is not a known setting;"
                        + " did you mean " + nearest(child, entry.getValue()) + "?");
            }
        }
    }

    /**
     * A misspelt top-level key is most often a misspelt {@code offload} itself ({@code ofload.delete-local}); else a
     * setting written without its {@code offload.}, whose full path may still need its section ({@code bucket}).
     */
    private String outsideHint(String key, String path, ConfigValue value) {
        if (levenshtein(key, "offload") <= 2) {
            return "did you mean offload?";
        }
        String prefixed = "offload." + path;
        boolean known = validKeys.contains(prefixed) || sections.contains(prefixed);
        return "every setting goes under offload, e.g. " + (known ? prefixed : nearest(prefixed, value));
    }

    /**
     * The valid path nearest to an unknown one. An unknown key holding an object ({@code shedule { cron = ... }}, or
     * {@code shedule.cron = ...}, which HOCON reads the same) is most likely a misspelt section, so sections are
     * candidates too; otherwise a leaf of the same name elsewhere ({@code audit.cron}) would win by the order of the
     * alphabet. Among equally near candidates the one nearer letter by letter wins.
     */
    private String nearest(String unknown, ConfigValue value) {
        Set<String> candidates = new TreeSet<>(validKeys);
        if (value instanceof ConfigObject) {
            candidates.addAll(sections);
            candidates.remove("offload");
        }
        return candidates.stream()
                .min(Comparator.comparingInt((String key) -> distance(unknown, key))
                        .thenComparingInt(key -> levenshtein(unknown, key)).thenComparing(key -> key))
                .orElse("offload");
    }

    private static int distance(String unknown, String key) {
        String leaf = leaf(unknown);
        String keyLeaf = leaf(key);
        if (keyLeaf.equals(leaf)) {
            return 1; // same name in another section (offload.bucket for offload.s3.bucket): the likeliest slip
        }
        // A shortened name (secret-key for secret-access-key): every word of it is in the valid key.
        List<String> words = List.of(leaf.split("-"));
        List<String> keyWords = List.of(keyLeaf.split("-"));
        boolean sameSection = unknown.substring(0, unknown.length() - leaf.length())
                .equals(key.substring(0, key.length() - keyLeaf.length()));
        int byWords = keyWords.containsAll(words)
                ? 1 + keyWords.size() - words.size() + (sameSection ? 0 : 2)
                : Integer.MAX_VALUE;
        return Math.min(byWords, levenshtein(unknown, key));
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
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
}

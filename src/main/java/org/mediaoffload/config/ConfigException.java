package org.mediaoffload.config;

import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, each naming its setting (HOCON path) or file
 * and line, so an operator fixes them all in one go. Messages never contain secret values.
 */
@SuppressWarnings("serial") // never serialized: thrown and reported within one JVM
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        this(problems, List.of());
    }

    /**
     * @param warnings found while reading the same sources; listed after the problems because one often explains
     *                 them (quotes kept in an env-file value make an odd bucket name, storage class and key length)
     */
    public ConfigException(List<String> problems, List<String> warnings) {
        super(message(problems, warnings));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems, List<String> warnings) {
        StringBuilder text = new StringBuilder("Invalid configuration (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem):" : " problems):");
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        for (String warning : warnings) {
            text.append(System.lineSeparator()).append("  warning: ").append(warning);
        }
        return text.toString();
    }
}

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
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        StringBuilder text = new StringBuilder("Invalid configuration (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem):" : " problems):");
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return text.toString();
    }
}

package org.mediaoffload.config;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings while the configuration is read, so all of them are reported at once. */
final class Problems {
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean unreadable;

    void error(String message) {
        errors.add(message);
    }

    /** A source file that could not be read at all; checking settings without it would only add noise. */
    void unreadable(String message) {
        unreadable = true;
        errors.add(message);
    }

    boolean anyUnreadable() {
        return unreadable;
    }

    void warning(String message) {
        warnings.add(message);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }
}

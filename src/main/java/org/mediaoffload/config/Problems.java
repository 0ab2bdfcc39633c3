package org.mediaoffload.config;

import com.typesafe.config.ConfigOrigin;
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
            throw new ConfigException(errors, warnings);
        }
    }

    /** Where a setting came from, in words an operator can act on ("file /etc/x.conf line 12"). */
    static String origin(ConfigOrigin origin) {
        if (origin.filename() != null) {
            return "file " + origin.filename() + (origin.lineNumber() > 0 ? " line " + origin.lineNumber() : "");
        }
        if (origin.resource() != null && origin.resource().endsWith("reference.conf")) {
            return "default from reference.conf";
        }
        return origin.description();
    }
}

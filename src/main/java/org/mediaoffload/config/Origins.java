package org.mediaoffload.config;

import com.typesafe.config.ConfigOrigin;

/** Says where a setting came from in words an operator can act on ("file /etc/x.conf line 12"). */
final class Origins {
    private Origins() {}

    static String describe(ConfigOrigin origin) {
        if (origin.filename() != null) {
            return origin.lineNumber() > 0
                    ? "file " + origin.filename() + " line " + origin.lineNumber()
                    : "file " + origin.filename();
        }
        if (origin.resource() != null && origin.resource().endsWith("reference.conf")) {
            return "default from reference.conf";
        }
        return origin.description();
    }
}

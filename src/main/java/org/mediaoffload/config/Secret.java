package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

/** A configured secret. Its {@code toString} never reveals the value, so it is safe in logs and exceptions. */
public record Secret(String value) {
    public Secret {
        requireNonNull(value, "value is null");
    }

    @Override
    public String toString() {
        return "****";
    }
}

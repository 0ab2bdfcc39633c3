package org.mediaoffload.catalog;

import java.sql.SQLException;
import java.util.Optional;
import org.mediaoffload.config.Redactor;

/**
 * Keeps the database password out of messages and chained causes. Drivers do not echo it today; this guards against
 * one that does (or a URL with {@code password=} in it) because an exception message ends up in logs and the admin
 * API. The masking itself is {@link Redactor}'s.
 */
final class Redaction {
    private Redaction() {}

    static String scrub(String message, Optional<String> password) {
        return Redactor.redactMessage(message, password);
    }

    /**
     * The cause to chain: the original when its message is clean, else a copy with a scrubbed message (its
     * stack trace kept) so a logged stack trace cannot leak either.
     */
    static SQLException scrubbed(SQLException e, Optional<String> password) {
        String clean = scrub(e.getMessage(), password);
        if (clean.equals(e.getMessage())) {
            return e;
        }
        SQLException copy = new SQLException(clean, e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}

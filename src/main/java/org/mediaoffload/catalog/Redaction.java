package org.mediaoffload.catalog;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Keeps the database password out of messages. Drivers do not echo it today; this guards against one that does
 * (or a URL with {@code password=} in it) because an exception message ends up in logs and the admin API.
 */
final class Redaction {

    /** Shorter passwords would blank out ordinary letters of the message; they are not worth protecting so. */
    private static final int MIN_SCRUBBED_LENGTH = 3;

    private Redaction() {}

    static String scrub(String message, Optional<String> password) {
        if (message == null) {
            return "(no detail)";
        }
        String result = message.replaceAll("(?i)(password=)[^&\\s]*", "$1****");
        if (password.isPresent() && password.get().length() >= MIN_SCRUBBED_LENGTH) {
            result = result.replace(password.get(), "****");
        }
        return result;
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

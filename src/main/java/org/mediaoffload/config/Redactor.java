package org.mediaoffload.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that masks secrets in text bound for a log, an exception, the status page or check-config's
 * output: the value of {@code password=} (a JDBC URL's query, libpq's {@code sslpassword=}, a driver echoing its
 * URL) and the password of {@code user:password@} in a URL.
 */
public final class Redactor {
    public static final String MASK = "****";

    // In a URL the value ends only at the next parameter: a raw space typed into offload.database.url is still
    // part of the password. In a message it also ends at whitespace, so the rest of the message stays readable.
    private static final Pattern URL_PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&]*");
    private static final Pattern MESSAGE_PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&\\s]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/@:]*):[^/@]*@");
    private static final Pattern MESSAGE_USER_INFO = Pattern.compile("(//[^/@:\\s]*):[^/@\\s]*@");
    /** Shorter secrets would blank out ordinary letters of a message; they are not worth protecting so. */
    private static final int MIN_LITERAL_LENGTH = 3;

    private Redactor() {}

    /** A URL (JDBC or libpq) with its passwords masked: {@code //user:****@host/db?password=****&ssl=true}. */
    public static String redactUrl(String url) {
        String masked = URL_PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + MASK);
        return URL_USER_INFO.matcher(masked).replaceAll("$1:" + MASK + "@");
    }

    /**
     * A message (an exception's, a driver's) with URL passwords masked and every occurrence of {@code secret},
     * the one the message may quote, replaced; {@code "(no detail)"} for a null message.
     */
    public static String redactMessage(String message, Optional<String> secret) {
        if (message == null) {
            return "(no detail)";
        }
        String masked = MESSAGE_PASSWORD_PARAMETER.matcher(message).replaceAll("$1" + MASK);
        masked = MESSAGE_USER_INFO.matcher(masked).replaceAll("$1:" + MASK + "@");
        if (secret.isPresent() && secret.get().length() >= MIN_LITERAL_LENGTH) {
            masked = masked.replace(secret.get(), MASK);
        }
        return masked;
    }
}

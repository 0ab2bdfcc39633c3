package org.mediaoffload.logging;

/**
 * Makes text from disk or a database safe to put in a log line: a file name with a newline in it must not be able to
 * start a line of its own that reads like one of ours. Line breaks become {@code \n} / {@code \r}, other control
 * characters (and the Unicode line separators) {@code \}{@code uXXXX}; everything else, tabs included, is left as it is.
 */
public final class LogText {
    private LogText() {}

    public static String escape(String text) {
        if (text == null || clean(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                out.append("\\n");
            } else if (ch == '\r') {
                out.append("\\r");
            } else if (needsEscape(ch)) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static boolean clean(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (needsEscape(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean needsEscape(char ch) {
        return (ch < 0x20 && ch != '\t') || ch == 0x7f || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
    }
}

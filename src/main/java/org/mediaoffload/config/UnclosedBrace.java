package org.mediaoffload.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Finds the {@code {} that a HOCON file never closes. Typesafe Config reports a missing {@code }} at the end of
 * the file as "expecting a close parentheses ')'", which sends the reader looking for a parenthesis.
 */
final class UnclosedBrace {
    private UnclosedBrace() {}

    /** The 1-based line of the innermost {@code {} still open at the end of {@code text}, if any. */
    static Optional<Integer> lineOf(String text) {
        Deque<Integer> open = new ArrayDeque<>();
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == '"') {
                boolean triple = text.startsWith("\"\"\"", i);
                int end = triple ? text.indexOf("\"\"\"", i + 3) : closingQuote(text, i);
                if (end < 0) {
                    return Optional.empty(); // an unclosed string: Typesafe's own message is the better one
                }
                for (int j = i; j < end; j++) {
                    line += text.charAt(j) == '\n' ? 1 : 0;
                }
                i = triple ? end + 2 : end;
            } else if (c == '{') {
                open.push(line);
            } else if (c == '}' && !open.isEmpty()) {
                open.pop();
            }
        }
        return Optional.ofNullable(open.peek());
    }

    private static int closingQuote(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            } else if (c == '\n') {
                return -1;
            }
        }
        return -1;
    }
}

package org.mediaoffload.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mediaoffload.host.FileOwnership;

/**
 * Our own HOCON file ({@code --config}). Substitutions such as {@code ${?S3_SECRET}} are resolved against the
 * given process environment only (not the JVM's system properties), so loading is repeatable and testable.
 */
final class HoconFile {
    /** Strings (triple-quoted, or quoted with escapes), comments, braces and line ends: what a '{' is counted by. */
    private static final Pattern BRACES_OUTSIDE_STRINGS_AND_COMMENTS =
            Pattern.compile("\"\"\"[\\s\\S]*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|(?:#|//)[^\\n]*|[{}\\n]");

    private HoconFile() {}

    static Optional<Config> read(Path file, Config reference, Map<String, String> environment, Problems problems) {
        if (!Files.isRegularFile(file)) {
            problems.unreadable("config file " + file + " (--config) does not exist or is not a regular file");
            return Optional.empty();
        }
        if (!Files.isReadable(file)) {
            problems.unreadable(FileOwnership.cannotRead("config file " + file + " (--config)", file));
            return Optional.empty();
        }
        try {
            Config parsed = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
            Config substitutions = parsed.withFallback(reference)
                    .withFallback(ConfigValueFactory.fromMap(environment, "process environment").toConfig());
            return Optional.of(parsed.resolveWith(substitutions, ConfigResolveOptions.noSystem()));
        } catch (com.typesafe.config.ConfigException e) {
            problems.unreadable("config " + unclosedBrace(file, e).orElseGet(() -> withoutOriginPrefix(e)));
            return Optional.empty();
        }
    }

    /** Typesafe reports a '}' missing at the end as "expecting a close parentheses ')'": name the open '{' instead. */
    private static Optional<String> unclosedBrace(Path file, com.typesafe.config.ConfigException e) {
        if (!(e instanceof com.typesafe.config.ConfigException.Parse) || e.getMessage() == null
                || !e.getMessage().contains("expecting a close parentheses ')' here, not: end of file")) {
            return Optional.empty();
        }
        try {
            return openBraceLine(Files.readString(file)).map(line -> Problems.origin(e.origin())
                    + ": a '}' is missing: the '{' on line " + line + " is never closed");
        } catch (IOException | RuntimeException other) {
            return Optional.empty();
        }
    }

    /** The 1-based line of the innermost '{' still open at the end of {@code text}, if any. */
    static Optional<Integer> openBraceLine(String text) {
        Deque<Integer> open = new ArrayDeque<>();
        int line = 1;
        Matcher token = BRACES_OUTSIDE_STRINGS_AND_COMMENTS.matcher(text);
        while (token.find()) {
            if (token.group().equals("{")) {
                open.push(line);
            } else if (token.group().equals("}") && !open.isEmpty()) {
                open.pop();
            }
            line += (int) token.group().chars().filter(c -> c == '\n').count();
        }
        return Optional.ofNullable(open.peek());
    }

    /** Typesafe prefixes messages with "file: line: "; we say "file F line N: " like every other message. */
    private static String withoutOriginPrefix(com.typesafe.config.ConfigException e) {
        String message = e.getMessage();
        if (e.origin() == null) {
            return message;
        }
        String prefix = e.origin().description() + ": ";
        String text = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        return Problems.origin(e.origin()) + ": " + text;
    }
}

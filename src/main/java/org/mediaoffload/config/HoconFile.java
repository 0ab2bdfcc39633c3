package org.mediaoffload.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.mediaoffload.host.FileOwnership;

/**
 * Our own HOCON file ({@code --config}). Substitutions such as {@code ${?S3_SECRET}} are resolved against the
 * given process environment only (not the JVM's system properties), so loading is repeatable and testable.
 */
final class HoconFile {
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

    private static Optional<String> unclosedBrace(Path file, com.typesafe.config.ConfigException e) {
        if (!(e instanceof com.typesafe.config.ConfigException.Parse) || e.getMessage() == null
                || !e.getMessage().contains("expecting a close parentheses ')' here, not: end of file")) {
            return Optional.empty();
        }
        try {
            return UnclosedBrace.lineOf(Files.readString(file)).map(line -> Origins.describe(e.origin())
                    + ": a '}' is missing: the '{' on line " + line + " is never closed");
        } catch (java.io.IOException | RuntimeException other) {
            return Optional.empty();
        }
    }

    /** Typesafe prefixes messages with "file: line: "; we say "file F line N: " like every other message. */
    private static String withoutOriginPrefix(com.typesafe.config.ConfigException e) {
        String message = e.getMessage();
        if (e.origin() == null) {
            return message;
        }
        String prefix = e.origin().description() + ": ";
        String text = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        return Origins.describe(e.origin()) + ": " + text;
    }
}

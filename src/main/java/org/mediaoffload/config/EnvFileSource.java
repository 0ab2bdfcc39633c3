package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mediaoffload.host.FileOwnership;

/**
 * The playbook's env file ({@code --env-file}), read exactly as {@code docker run --env-file} reads it:
 * {@code VAR=VAL} per line with everything after the first {@code =} taken literally (no quote removal, no
 * escapes), {@code #} lines and blank lines ignored, and a bare {@code VAR} taking its value from the process
 * environment. The playbook writes values unquoted, so this is what its containers saw.
 */
final class EnvFileSource {
    /** Env-file variable to our setting. Unknown variables are ignored, as the container ignored them. */
    private static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("AWS_ACCESS_KEY_ID", "offload.s3.access-key-id"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "offload.s3.secret-access-key"),
            Map.entry("AWS_SESSION_TOKEN", "offload.s3.session-token"),
            Map.entry("AWS_DEFAULT_REGION", "offload.s3.region"),
            Map.entry("ENDPOINT", "offload.s3.endpoint"),
            Map.entry("BUCKET", "offload.s3.bucket"),
            Map.entry("PREFIX", "offload.s3.prefix"),
            Map.entry("STORAGE_CLASS", "offload.s3.storage-class"),
            Map.entry("SSE_CUSTOMER_KEY", "offload.s3.sse-customer-key"),
            Map.entry("SSE_CUSTOMER_ALGO", "offload.s3.sse-customer-algorithm"),
            Map.entry("UPDATE_DB_DURATION", "offload.selection.min-age"));
    private static final String MEDIA_PATH = "MEDIA_PATH";

    private final Path file;
    private final Function<String, String> processEnvironment;

    EnvFileSource(Path file, Map<String, String> processEnvironment) {
        this.file = requireNonNull(file, "file is null");
        requireNonNull(processEnvironment, "processEnvironment is null");
        this.processEnvironment = processEnvironment::get;
    }

    void readInto(DropInLayer layer, Problems problems) {
        List<String> lines = readLines(problems);
        for (int i = 0; i < lines.size(); i++) {
            readLine(i + 1, lines.get(i), layer, problems);
        }
    }

    private void readLine(int number, String rawLine, DropInLayer layer, Problems problems) {
        String line = number == 1 && rawLine.startsWith("\uFEFF") ? rawLine.substring(1) : rawLine;
        line = line.stripLeading();
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        int equals = line.indexOf('=');
        String name = equals < 0 ? line : line.substring(0, equals);
        String where = "env file " + file + " line " + number;
        if (name.isEmpty()) {
            problems.unreadable(where + ": no variable name before '=' (Docker rejects this file too)");
            return;
        }
        if (name.chars().anyMatch(Character::isWhitespace)) {
            problems.unreadable(where + ": variable name contains whitespace (Docker rejects this file too)");
            return;
        }
        String value = equals < 0 ? processEnvironment.apply(name) : line.substring(equals + 1);
        if (value == null) {
            return; // a bare VAR that the process environment does not define: Docker leaves it unset too
        }
        String origin = where + " (" + name + ")";
        if (name.equals(MEDIA_PATH)) {
            layer.setPath("offload.media-store-path", value, origin);
        } else if (SETTINGS.containsKey(name)) {
            warnAboutQuotes(name, value, origin, problems);
            layer.set(SETTINGS.get(name), value, origin);
        }
    }

    /** Docker keeps quotes as part of the value; a quoted value is almost always a mistake worth a word. */
    private static void warnAboutQuotes(String name, String value, String origin, Problems problems) {
        boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"));
        if (quoted) {
            problems.warning(origin + ": the value of " + name + " is in quotes, which env files keep as part of"
                    + " the value (as Docker does). Remove them unless they are meant.");
        }
    }

    private List<String> readLines(Problems problems) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            // Like Go's bufio.ScanLines, which Docker uses: split on \n and drop one \r before it.
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\n", -1)) {
                lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
            return lines;
        } catch (NoSuchFileException e) {
            problems.unreadable("env file " + file + " (--env-file) does not exist");
        } catch (CharacterCodingException e) {
            problems.unreadable("env file " + file + " (--env-file) is not valid UTF-8 (Docker rejects it too)");
        } catch (IOException e) {
            problems.unreadable(FileOwnership.cannotRead("env file " + file + " (--env-file)", file, e));
        }
        return List.of();
    }
}

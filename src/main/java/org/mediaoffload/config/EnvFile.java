package org.mediaoffload.config;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mediaoffload.host.FileOwnership;

/**
 * The playbook's env file ({@code --env-file}), read exactly as {@code docker run --env-file} reads it:
 * {@code VAR=VAL} per line with everything after the first {@code =} taken literally (no quote removal, no
 * escapes), {@code #} lines and blank lines ignored, and a bare {@code VAR} taking its value from the process
 * environment. The playbook writes values unquoted, so this is what its containers saw. Also the AWS variables of
 * the process environment, which win over every file as they do for the AWS CLI.
 */
final class EnvFile {
    /**
     * Env-file variable to our setting. Unknown variables are ignored, as the container ignored them, unless they
     * are a near miss of one of these (see {@link #nearMiss}).
     */
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
    private static final String CA_BUNDLE = "AWS_CA_BUNDLE";

    private EnvFile() {}

    static void read(Path file, Map<String, String> environment, Layers.DropIn layer, Problems problems) {
        List<String> lines = readLines(file, problems);
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(i).startsWith("\uFEFF") ? lines.get(i).substring(1) : lines.get(i);
            readLine(file, i + 1, line.stripLeading(), environment, layer, problems);
        }
    }

    private static void readLine(Path file, int number, String line, Map<String, String> environment,
            Layers.DropIn layer, Problems problems) {
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
        // A bare VAR that the process environment does not define stays unset, as in Docker.
        String value = equals < 0 ? environment.get(name) : line.substring(equals + 1);
        String origin = where + " (" + name + ")";
        boolean ours = name.equals("MEDIA_PATH") || SETTINGS.containsKey(name);
        if (!ours) {
            nearMiss(name).ifPresent(meant -> problems.error(origin + " is not a variable we (or the playbook's"
                    + " s3_media_upload) read; did you mean " + meant + "? Unread, it would leave "
                    + meant + " unset or at its default (a prefix left out puts objects where Synapse does not"
                    + " look)."));
            return;
        }
        if (value == null) {
            return;
        }
        // Docker keeps quotes as part of the value; a quoted value is almost always a mistake worth a word.
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            problems.warning(origin + ": the value of " + name + " is in quotes, which env files keep as part of"
                    + " the value (as Docker does). Remove them unless they are meant.");
        }
        if (name.equals("MEDIA_PATH")) {
            layer.setPath("offload.media-store-path", value, origin);
        } else {
            layer.set(SETTINGS.get(name), value, origin);
        }
    }

    /**
     * The variable a hand-edited name was probably meant to be (PERFIX, BUKET, SSE_CUSTOMER_KY): within two edits
     * of one we read. Other variables are ignored, as the playbook's container ignored them; these would be
     * ignored too, silently leaving a setting out, so they are refused.
     */
    private static Optional<String> nearMiss(String name) {
        String upper = name.toUpperCase(Locale.ROOT); // Docker's names are case-sensitive: bucket= is not BUCKET=
        return Stream.concat(SETTINGS.keySet().stream(), Stream.of("MEDIA_PATH"))
                .filter(known -> UnknownKeys.levenshtein(upper, known) <= 2)
                .min(Comparator.comparingInt((String known) -> UnknownKeys.levenshtein(upper, known))
                        .thenComparing(known -> known));
    }

    private static List<String> readLines(Path file, Problems problems) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            // Like Go's bufio.ScanLines, which Docker uses: split on \n and drop one \r before it.
            return Arrays.stream(text.split("\n", -1))
                    .map(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line)
                    .toList();
        } catch (NoSuchFileException e) {
            problems.unreadable("env file " + file + " (--env-file) does not exist");
        } catch (CharacterCodingException e) {
            problems.unreadable("env file " + file + " (--env-file) is not valid UTF-8 (Docker rejects it too)");
        } catch (IOException e) {
            problems.unreadable(FileOwnership.cannotRead("env file " + file + " (--env-file)", file, e));
        }
        return List.of();
    }

    /**
     * The AWS variables the AWS CLI reads (it prefers AWS_REGION over AWS_DEFAULT_REGION). Without keys anywhere the
     * credentials stay unset and the SDK's default chain (e.g. an instance profile) applies later.
     */
    static void readProcessEnvironment(Map<String, String> environment, Layers.DropIn layer) {
        Map<String, String> processOnly = Map.of(CA_BUNDLE, "offload.s3.ca-bundle", "AWS_REGION", "offload.s3.region");
        for (String variable : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", CA_BUNDLE,
                isSet(environment, "AWS_REGION") ? "AWS_REGION" : "AWS_DEFAULT_REGION")) {
            if (isSet(environment, variable)) {
                layer.set(SETTINGS.getOrDefault(variable, processOnly.get(variable)), environment.get(variable),
                        "process environment (" + variable + ")");
            }
        }
    }

    /**
     * {@code AWS_CA_BUNDLE} wins over {@code offload.s3.ca-bundle}, as for the AWS CLI. A host-wide variable then
     * silently replaces the file's value, and a TLS error later points at a setting that looks right; so when the
     * two differ, say so, naming both.
     *
     * @param fromFiles the layers below the process environment
     */
    static void warnIfCaBundleReplaced(Config fromFiles, Map<String, String> environment, Problems problems) {
        String setting = "offload.s3.ca-bundle";
        String fromEnvironment = environment.get(CA_BUNDLE);
        if (!isSet(environment, CA_BUNDLE) || !fromFiles.hasPath(setting)) {
            return;
        }
        String configured = fromFiles.getString(setting);
        if (!configured.isEmpty() && !configured.equals(fromEnvironment)) {
            problems.warning(CA_BUNDLE + "=" + fromEnvironment + " in the process environment replaces " + setting
                    + " = " + configured + " (" + Problems.origin(fromFiles.getValue(setting).origin()) + "): the"
                    + " environment wins, as for the AWS CLI, so " + fromEnvironment + " is the CA bundle used. If "
                    + configured + " is meant, unset " + CA_BUNDLE + " for this process (systemd: UnsetEnvironment="
                    + CA_BUNDLE + ").");
        }
    }

    private static boolean isSet(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        return value != null && !value.isEmpty();
    }
}

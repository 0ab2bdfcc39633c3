package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.mediaoffload.host.FileOwnership;

/**
 * Reads a secret from {@code <setting>} or from the file named by {@code <setting>-file} (systemd
 * {@code LoadCredential=}, Docker secrets). One trailing newline is stripped, because editors and
 * {@code echo} add one; anything else in the file is the secret. Never puts the secret into a message.
 */
final class SecretReader {
    private final SettingsReader reader;

    SecretReader(SettingsReader reader) {
        this.reader = requireNonNull(reader, "reader is null");
    }

    Optional<Secret> read(String setting) {
        String fileSetting = setting + "-file";
        Optional<String> value = reader.optionalString(setting);
        Optional<Path> file = reader.optionalPath(fileSetting);
        if (value.isPresent() && file.isPresent()) {
            reader.error(setting, "and " + reader.where(fileSetting) + " are both set; set only one of them");
            return Optional.of(new Secret(value.get())); // the load fails anyway; avoid follow-up "missing" noise
        }
        if (value.isPresent()) {
            return Optional.of(new Secret(value.get()));
        }
        return file.flatMap(path -> readFile(fileSetting, path));
    }

    /** Where the secret was set (value or file), for messages about it. */
    String where(String setting) {
        return reader.isSet(setting + "-file") ? reader.where(setting + "-file") : reader.where(setting);
    }

    private Optional<Secret> readFile(String fileSetting, Path path) {
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            if (text.endsWith("\r\n")) {
                text = text.substring(0, text.length() - 2);
            } else if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isEmpty()) {
                reader.error(fileSetting, "names " + path + ", which is empty");
                return Optional.empty();
            }
            return Optional.of(new Secret(text));
        } catch (NoSuchFileException e) {
            reader.error(fileSetting, "names " + path + ", which does not exist");
        } catch (IOException e) {
            reader.error(fileSetting, "names " + FileOwnership.cannotRead(path.toString(), path, e));
        }
        return Optional.empty();
    }
}

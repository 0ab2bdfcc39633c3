package org.mediaoffload.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Real files in a test's temporary directory, and the smallest configuration that loads. */
final class ConfigFiles {
    private final Path dir;

    ConfigFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path write(String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path directory(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path mediaStore() {
        return directory("media-store");
    }

    /** The settings without which nothing loads: media store, bucket, database. */
    String required() {
        return "offload.media-store-path = \"" + mediaStore() + "\"\n"
                + "offload.s3.bucket = media-bucket\n"
                + "offload.database { host = db.example.org, name = synapse }\n";
    }

    Path conf(String hocon) {
        return write("offload.conf", hocon);
    }

    OffloadConfig load(String hocon) {
        return ConfigLoader.load(ConfigSources.none().withConfig(conf(hocon)), Map.of());
    }
}

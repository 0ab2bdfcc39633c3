package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks that the paths we must use exist on this host. The playbook's files hold paths as its containers see
 * them, so when such a path is missing the message says which file and value it came from and how
 * {@code offload.path-map} translates it.
 */
final class HostPathChecks {
    static final String PLAYBOOK_EXAMPLE = "e.g. path-map { \"/matrix-media-store-parent\" = \"/matrix/synapse/storage\","
            + " \"/run-postgres\" = \"/matrix/postgres/run\" } as in config/playbook-host.conf";

    private final SettingsReader reader;
    private final List<DropInLayer.PathValue> dropInPaths;

    HostPathChecks(SettingsReader reader, List<DropInLayer.PathValue> dropInPaths) {
        this.reader = requireNonNull(reader, "reader is null");
        this.dropInPaths = List.copyOf(requireNonNull(dropInPaths, "dropInPaths is null"));
    }

    Optional<Path> mediaStore() {
        String setting = "offload.media-store-path";
        Optional<Path> path = reader.optionalPath(setting);
        if (path.isEmpty()) {
            reader.missing(setting, "is required: Synapse's media store directory on this host (media_store_path in"
                    + " homeserver.yaml, MEDIA_PATH in the playbook's env file)");
        } else if (!Files.isDirectory(path.get())) {
            report(setting, path.get(), Files.exists(path.get()) ? "is not a directory" : "does not exist");
        } else {
            warnIfSynapseWritesElsewhere(setting, path.get());
        }
        return path;
    }

    /**
     * homeserver.yaml's {@code media_store_path} (through the path map) is where Synapse writes. Another value set
     * over it (our file, the env file) is allowed, e.g. a bind mount seen under two names, but worth a warning: if it is
     * not the same directory, we offload from a store Synapse no longer writes to.
     */
    private void warnIfSynapseWritesElsewhere(String setting, Path effective) {
        dropInPaths.stream()
                .filter(p -> p.setting().equals(setting) && p.origin().contains("(media_store_path)"))
                .findFirst()
                .ifPresent(synapse -> {
                    Path synapsePath = Path.of(synapse.mapped().orElse(synapse.raw()));
                    if (!sameDirectory(effective, synapsePath)) {
                        reader.warning(setting, "= " + effective + ", but Synapse's media_store_path " + synapse.raw()
                                + (synapse.mapped().isPresent() ? " (mapped by " + PathMap.SETTING + " to "
                                        + synapsePath + ")" : "") + " is another directory: Synapse writes its media"
                                + " there, so new media are not offloaded from here. Check the path and "
                                + PathMap.SETTING + ".");
                    }
                });
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    void sqliteDatabase(DatabaseConfig database) {
        database.sqlitePath()
                .filter(path -> database.type() == DatabaseType.SQLITE && !Files.isRegularFile(path))
                .ifPresent(path -> report("offload.database.sqlite-path", path, "does not exist"));
    }

    void socketDirectory(DatabaseConfig database) {
        if (database.type() == DatabaseType.POSTGRES && database.url().isEmpty() && database.usesUnixSocket()) {
            Path directory = Path.of(database.host().get());
            if (!Files.isDirectory(directory)) {
                report("offload.database.host", directory, "is a Unix-socket directory that does not exist");
            }
        }
    }

    private void report(String setting, Path value, String what) {
        String where = reader.where(setting);
        Optional<DropInLayer.PathValue> fromFile = dropInPaths.stream()
                .filter(p -> p.setting().equals(setting) && where.contains(p.origin()))
                .findFirst();
        if (fromFile.isEmpty()) {
            reader.missing(where, "= " + value + " " + what);
        } else if (fromFile.get().mapped().isPresent()) {
            reader.missing(where, "= " + value + " " + what + " on this host; check the " + PathMap.SETTING
                    + " entry that mapped " + fromFile.get().raw());
        } else {
            reader.missing(where, "= " + value + " " + what + " on this host. If it is a path inside a container,"
                    + " map it to the host path with " + PathMap.SETTING + ", " + PLAYBOOK_EXAMPLE);
        }
    }
}

package org.mediaoffload.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Refuses a media store path that cannot be Synapse's: none of the four top-level directories in it while Synapse's
 * database lists media. Otherwise a path one level too high (or a disk not mounted) makes every run "succeed" with
 * nothing to do, and nobody notices. A new homeserver without media has none of them either, so the database decides.
 */
public final class MediaStoreRoot {
    /** Children looked at when searching for the store one level down; a store root has a handful. */
    private static final int MAX_CHILDREN = 1_000;

    private MediaStoreRoot() {}

    /**
     * @param databaseListsMedia asked only when none of the top-level directories exists
     * @throws MediaStoreException naming the path, and a child or grandchild that looks like a media store if any
     */
    public static void check(Path root, BooleanSupplier databaseListsMedia) {
        problem(root, databaseListsMedia).ifPresent(message -> {
            throw new MediaStoreException(message, null);
        });
    }

    /** As {@link #check}, but the problem as a message. */
    public static Optional<String> problem(Path root, BooleanSupplier databaseListsMedia) {
        Path absolute = root.toAbsolutePath().normalize();
        if (hasTopLevelDir(absolute) || !databaseListsMedia.getAsBoolean()) {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder("offload.media-store-path ").append(absolute);
        message.append(Files.isDirectory(absolute) ? " holds none of " : " does not exist, so it holds none of ")
                .append(String.join(", ", MediaStoreLayout.TOP_LEVEL_DIRS))
                .append(", but Synapse's database lists media: it is not Synapse's media store (media_store_path in"
                        + " homeserver.yaml; check the path and that its disk is mounted).");
        lookalike(absolute).ifPresent(child -> message.append(" ").append(child)
                .append(" looks like a media store: set offload.media-store-path to it."));
        return Optional.of(message.toString());
    }

    /** Whether {@code root} has at least one of Synapse's four top-level media directories. */
    public static boolean hasLayout(Path root) {
        return hasTopLevelDir(root.toAbsolutePath().normalize());
    }

    private static boolean hasTopLevelDir(Path dir) {
        for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
            if (Files.isDirectory(dir.resolve(top))) {
                return true;
            }
        }
        return false;
    }

    /** A directory one or two levels below {@code root} that has a top-level directory (e.g. {@code media_store}). */
    private static Optional<Path> lookalike(Path root) {
        List<Path> children = directories(root);
        for (Path child : children) {
            if (hasTopLevelDir(child)) {
                return Optional.of(child);
            }
        }
        for (Path child : children) {
            for (Path grandchild : directories(child)) {
                if (hasTopLevelDir(grandchild)) {
                    return Optional.of(grandchild);
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> directories(Path dir) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path entry : entries) {
                if (found.size() >= MAX_CHILDREN) {
                    break;
                }
                found.add(entry);
            }
        } catch (IOException | RuntimeException e) {
            // Only a hint for the message; the refusal stands without it.
        }
        found.sort(null);
        return found;
    }
}

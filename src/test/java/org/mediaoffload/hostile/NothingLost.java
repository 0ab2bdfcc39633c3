package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.mediaoffload.testing.OffloadHarness;

/**
 * The two things every hostile test asserts: no media file is gone without a copy in the bucket that our SSE-C key
 * reads with exactly its bytes, and a tree outside the media store is byte for byte what it was.
 */
final class NothingLost {
    private NothingLost() {}

    /** Each file (path relative to the media store, bytes it had) is still local with its bytes, or in the bucket. */
    static void assertLocalOrInTheBucket(OffloadHarness h, Map<String, byte[]> files) {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path local = h.mediaStore().resolve(f.getKey());
            if (Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
                continue; // kept (a test that swapped it checks what it holds)
            }
            Optional<byte[]> object = h.objectBytes(f.getKey());
            assertThat(object).as("%s was deleted: the bucket must hold its bytes, readable with our key", f.getKey())
                    .hasValueSatisfying(b -> assertThat(b).as(f.getKey()).isEqualTo(f.getValue()));
        }
    }

    /**
     * Writes a file outside the media store whose access time is three days old: on a relatime mount (the default)
     * any read of it moves the access time, which {@link #snapshot} records.
     */
    static Path plant(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            Files.setAttribute(file, "lastAccessTime",
                    FileTime.from(Instant.now().minus(Duration.ofDays(3))), LinkOption.NOFOLLOW_LINKS);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry below {@code dir} (files with their bytes, links with their targets, directories). */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String name = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    tree.put(name, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    tree.put(name, "dir");
                } else {
                    // The access time shows a read (relatime updates an atime older than a day, see plant), so it
                    // is taken before our own read, which then sets it back.
                    FileTime atime = (FileTime) Files.getAttribute(p, "lastAccessTime", LinkOption.NOFOLLOW_LINKS);
                    byte[] bytes = Files.readAllBytes(p);
                    Files.setAttribute(p, "lastAccessTime", atime, LinkOption.NOFOLLOW_LINKS);
                    tree.put(name, "file " + HexFormat.of().formatHex(bytes) + " mtime "
                            + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS) + " atime " + atime);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }
}

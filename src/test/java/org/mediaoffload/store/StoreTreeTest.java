package org.mediaoffload.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.FileIdentity;
import org.mediaoffload.pipeline.LocalFileChangedException;

class StoreTreeTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryHandleKeepsReadingTheDirectoryItOpenedNotWhatThePathNowNames() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        store.file("local_content/aa/bb/cccc", 5);
        StoreTree tree = new StoreTree(new MediaStoreLayout(store.root()));

        try (StoreTree.Dir dir = tree.open("local_content/aa/bb").orElseThrow()) {
            FileIdentity scanned = dir.stat("cccc").flatMap(StoreTree.Entry::identity).orElseThrow();
            // The path now leads to another directory with another file of the same name (via a symlink).
            Files.move(store.root().resolve("local_content/aa"), tmp.resolve("moved"));
            new StoreFixture(tmp.resolve("outside")).file("bb/cccc", 5);
            Files.createSymbolicLink(store.root().resolve("local_content/aa"), tmp.resolve("outside"));

            assertThatThrownBy(() -> dir.stat("cccc")).isInstanceOf(UnsafePathException.class)
                    .hasMessageContaining("replaced");
            assertThatThrownBy(() -> dir.openFile("cccc", scanned)).isInstanceOf(LocalFileChangedException.class);
        }
        assertThatThrownBy(() -> tree.open("local_content/aa/bb")).isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("symlink to " + tmp.resolve("outside"));
    }

    @Test
    void opensOnlyTheScannedFileAndRefusesComponentsThatCouldLeaveTheDirectory() throws Exception {
        StoreFixture store = new StoreFixture(tmp.resolve("media"));
        Path file = store.file("local_thumbnails/aa/bb/cccc/32-32-image-png", 7);
        StoreTree tree = new StoreTree(new MediaStoreLayout(store.root()));

        try (StoreTree.Dir dir = tree.open("local_thumbnails/aa/bb/cccc").orElseThrow()) {
            FileIdentity scanned = dir.stat("32-32-image-png").flatMap(StoreTree.Entry::identity).orElseThrow();
            try (InputStream in = Channels.newInputStream(dir.openFile("32-32-image-png", scanned))) {
                assertThat(in.readAllBytes()).hasSize(7);
            }
            Files.delete(file);
            Files.write(file, new byte[7]); // same name and size, another inode
            assertThatThrownBy(() -> dir.openFile("32-32-image-png", scanned))
                    .isInstanceOf(LocalFileChangedException.class).hasMessageContaining("changed since the scan");
            for (String bad : new String[] {"..", ".", "", "x/../../etc", "a/b"}) {
                assertThatThrownBy(() -> dir.stat(bad)).as(bad).isInstanceOf(UnsafePathException.class);
            }
        }
        assertThat(tree.open("local_thumbnails/zz/bb")).isEmpty();
        assertThatThrownBy(() -> tree.open("url_cache/aa")).isInstanceOf(UnsafePathException.class);
    }
}

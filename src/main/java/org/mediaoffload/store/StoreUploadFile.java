package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.Optional;

import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalFileChangedException;
import org.mediaoffload.pipeline.UploadFile;

/**
 * A media file as an upload reads it: each open walks down from the top-level directory through directory handles
 * without following links and insists on the identity the scan recorded, before and after opening.
 */
final class StoreUploadFile implements UploadFile {
    private final StoreTree tree;
    private final LocalFile file;
    private final String parent;
    private final String name;

    StoreUploadFile(StoreTree tree, LocalFile file) {
        this.tree = requireNonNull(tree, "tree is null");
        this.file = requireNonNull(file, "file is null");
        int slash = file.relativePath().lastIndexOf('/');
        this.parent = file.relativePath().substring(0, Math.max(0, slash));
        this.name = file.relativePath().substring(slash + 1);
    }

    @Override
    public String name() {
        return file.relativePath();
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public Optional<String> sha256() {
        return file.sha256();
    }

    @Override
    public InputStream open() throws IOException {
        try (StoreTree.Dir dir = directory()) {
            // The channel stays open when the directory handles are closed.
            return Channels.newInputStream(dir.openFile(name, file.identity()));
        }
    }

    @Override
    public void checkUnchanged() throws IOException {
        try (StoreTree.Dir dir = directory()) {
            dir.requireFile(name, file.identity());
        }
    }

    private StoreTree.Dir directory() throws IOException {
        Optional<StoreTree.Dir> dir;
        try {
            dir = tree.open(parent);
        } catch (UnsafePathException e) {
            throw new LocalFileChangedException(e.getMessage());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (dir.isEmpty()) {
            throw new LocalFileChangedException(tree.layout().root().resolve(parent) + " is gone since the scan");
        }
        return dir.get();
    }
}

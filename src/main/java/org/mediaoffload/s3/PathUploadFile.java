package org.mediaoffload.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mediaoffload.pipeline.LocalFileChangedException;
import org.mediaoffload.pipeline.UploadFile;

/** A file outside any media store, read by its path; only its size is insisted on (see S3ObjectStore#put). */
final class PathUploadFile implements UploadFile {
    private final Path path;
    private final long size;

    PathUploadFile(Path path, long size) {
        this.path = path;
        this.size = size;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open() throws IOException {
        checkUnchanged();
        return Files.newInputStream(path);
    }

    @Override
    public void checkUnchanged() throws IOException {
        long actual = Files.size(path);
        if (actual != size) {
            throw new LocalFileChangedException(path + " is " + (actual < size ? "shorter" : "longer")
                    + " than the expected " + size + " bytes (it changed while being read)");
        }
    }
}

package org.mediaoffload.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --export DIR}: the confirmed lost media ({@value #LOST}) and the orphan objects ({@value #ORPHANS}), one
 * JSON object per line, written as they are found so the lists may be longer than the report's samples.
 */
final class AuditExport implements AutoCloseable {
    static final String LOST = "lost.jsonl";
    static final String ORPHANS = "orphans.jsonl";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BufferedWriter lost;
    private final BufferedWriter orphans;

    private AuditExport(BufferedWriter lost, BufferedWriter orphans) {
        this.lost = lost;
        this.orphans = orphans;
    }

    static Optional<AuditExport> open(Optional<Path> dir) {
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(dir.get());
            return Optional.of(new AuditExport(Files.newBufferedWriter(dir.get().resolve(LOST)),
                    Files.newBufferedWriter(dir.get().resolve(ORPHANS))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit export to " + dir.get()
                    + "; give --export a writable directory", e);
        }
    }

    void lost(String kind, String origin, String mediaId, String key, long mediaLength, boolean acknowledged) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", kind);
        line.put("origin", origin);
        line.put("mediaId", mediaId);
        line.put("key", key);
        line.put("mediaLength", mediaLength);
        line.put("acknowledged", acknowledged);
        write(lost, line);
    }

    void orphan(AuditBucket.BucketObject object) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("key", object.key());
        line.put("size", object.size());
        line.put("etag", object.etag());
        line.put("lastModified", String.valueOf(object.lastModified()));
        write(orphans, line);
    }

    private static synchronized void write(BufferedWriter out, Map<String, Object> line) {
        try {
            out.write(JSON.writeValueAsString(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit export", e);
        }
    }

    @Override
    public void close() {
        try {
            lost.close();
            orphans.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the audit export", e);
        }
    }
}

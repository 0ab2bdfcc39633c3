package org.mediaoffload.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToDoubleFunction;

/**
 * Free, used and total bytes of the filesystem holding the media store. The store is looked up at every
 * scrape, so a store mounted after start (or a missing path) is reported rather than failing the daemon.
 */
final class MediaFilesystemGauges {
    private final Path mediaStore;

    MediaFilesystemGauges(Path mediaStore) {
        this.mediaStore = requireNonNull(mediaStore, "mediaStore is null");
    }

    void register(MeterRegistry registry) {
        gauge(registry, MetricNames.MEDIA_FS_FREE, "Bytes available to the daemon on the media store's filesystem",
                FileStore::getUsableSpace);
        gauge(registry, MetricNames.MEDIA_FS_USED, "Bytes used on the media store's filesystem",
                s -> s.getTotalSpace() - s.getUnallocatedSpace());
        gauge(registry, MetricNames.MEDIA_FS_SIZE, "Size of the media store's filesystem", FileStore::getTotalSpace);
    }

    private void gauge(MeterRegistry registry, String name, String help, SpaceReader reader) {
        ToDoubleFunction<MediaFilesystemGauges> f = g -> g.read(reader);
        Gauge.builder(name, this, f).description(help).baseUnit(MetricNames.BYTES).strongReference(true)
                .register(registry);
    }

    private double read(SpaceReader reader) {
        try {
            return reader.read(Files.getFileStore(mediaStore));
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    @FunctionalInterface
    private interface SpaceReader {
        long read(FileStore store) throws IOException;
    }
}

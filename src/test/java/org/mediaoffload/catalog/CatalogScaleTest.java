package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.testing.SynapseFixture.LocalMedia;
import org.mediaoffload.testing.SynapseFixture.RemoteMedia;

/** Tens of thousands of rows through the bulk fixture, the batched lookups and the re-reads, on both engines. */
class CatalogScaleTest {

    private static final int LOCAL = 30_000;
    private static final int REMOTE = 20_000;

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void looksUpManyBatchesAndRereadsEverything(Engine engine) throws Exception {
        try (SynapseDatabase db = SynapseDatabase.create(engine, tempDir)) {
            db.fixture().insertLocals(IntStream.range(0, LOCAL).mapToObj(i ->
                    new LocalMedia(String.format("L%023d", i), 100L + i, 1_000 + i, null, null, null))::iterator);
            db.fixture().insertRemotes(IntStream.range(0, REMOTE).mapToObj(i ->
                    new RemoteMedia("server" + (i % 50) + ".example", "m" + i, String.format("F%023d", i),
                            10L, 1_000, (long) 2_000 + i, null))::iterator);

            List<DiskMediaId> onDisk = new ArrayList<>();
            IntStream.range(0, LOCAL).forEach(i -> onDisk.add(
                    new DiskMediaId(MediaKind.LOCAL, "", String.format("L%023d", i))));
            IntStream.range(0, REMOTE).forEach(i -> onDisk.add(new DiskMediaId(MediaKind.REMOTE,
                    "server" + (i % 50) + ".example", String.format("F%023d", i))));

            AtomicInteger locals = new AtomicInteger();
            Set<MediaRef> refs = new HashSet<>();
            try (MediaCatalog catalog = SynapseCatalogs.open(db.config(1000))) {
                catalog.eligibleAmong(Long.MAX_VALUE, true, onDisk, row -> {
                    refs.add(row.ref());
                    if (row.kind() == MediaKind.LOCAL) {
                        locals.incrementAndGet();
                    }
                });
                assertThat(locals).hasValue(LOCAL);
                assertThat(refs).hasSize(LOCAL + REMOTE);
                assertThat(catalog.reread(refs)).hasSize(LOCAL + REMOTE);
            }
        }
    }
}

package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.mediaoffload.Engine;
import org.mediaoffload.audit.AuditProgress;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.audit.AuditRequest;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * {@code audit --delete-orphans} past the grace, with keys under our prefix that look like media but that Synapse's
 * layout cannot have written: a trailing slash, one level too deep, a 3/1 split, "." and ".." components, '%', a
 * space, non-ASCII, another case, a double slash. None of them has a row, and none is deleted: a key is a media's
 * only if Synapse's path rules build exactly that key back. The two purged media of the honest kind go.
 */
class OddKeysAuditTest extends EngineTestBase {
    private static final List<String> ODD = List.of(
            "local_content/pu/rg/edCCCCCCCCCCCCCCCC/",
            "local_content/pu/rg/edDDDDDDDDDDDDDDDD/extra",
            "local_content/pur/g/edEEEEEEEEEEEEEEEE",
            "local_content/pu/rg/..",
            "local_content/pu/rg/ed%2e%2eFFFFFFFFFFF",
            "local_content/pu/rg/ed GGGGGGGGGGGGGGGG",
            "local_content/pu/rg/edHHHHHHHHHHHHHHH\u00e9",
            "Local_Content/pu/rg/edIIIIIIIIIIIIIIII",
            "remote_content/../pu/rg/edJJJJJJJJJJJJJJJJ",
            "remote_content/./pu/rg/edKKKKKKKKKKKKKKKK",
            "remote_content/evil.example/pu/rg/edLLLLLLLLLLLL/x",
            "local_thumbnails/pu/rg/edMMMMMMMMMMMMMMMM/32-32-image/png",
            "local_thumbnails/pu/rg/edNNNNNNNNNNNNNNNN/..",
            "/local_content/pu/rg/edOOOOOOOOOOOOOOOO");

    @Test
    void keysSynapseCouldNotHaveWrittenAreNeverDeletedAsOrphans() throws Exception {
        harness(Db.SQLITE);
        h.prefix = "media/";
        for (int i = 0; i < 60; i++) {
            String id = String.format("kept%020d", i);
            h.putObject(localOriginal(id), bytes(100, i), Optional.of(SSE_KEY));
            h.fixture().insertLocal(id, 100L, System.currentTimeMillis() - DAY_MS, null, null, null);
        }
        h.putObject(localOriginal("purgedAAAAAAAAAAAAAAAAAA"), bytes(100, 90), Optional.of(SSE_KEY));
        h.putObject(localOriginal("purgedBBBBBBBBBBBBBBBBBB"), bytes(100, 91), Optional.of(SSE_KEY));
        List<String> media = new ArrayList<>(h.bucketKeys());
        for (int i = 0; i < ODD.size(); i++) {
            try {
                h.putObject(ODD.get(i), bytes(100, 200 + i), Optional.of(SSE_KEY));
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                // The store refuses this key outright: no object, nothing to protect.
            }
        }
        // As stored (a client or server may normalise a key's "." or ".." on the way).
        List<String> odd = new ArrayList<>(h.bucketKeys());
        odd.removeAll(media);
        assertThat(odd).as("most odd keys are stored").hasSizeGreaterThan(ODD.size() / 2);
        h.pinTarget();

        audit(Duration.ofHours(1));
        AuditReport r = audit(Duration.ofDays(32));

        assertThat(r.orphansDeleted()).as("%s", r.errors()).isEqualTo(2);
        assertThat(h.bucketKeys()).containsAll(odd).hasSize(60 + odd.size())
                .doesNotContain(h.key(localOriginal("purgedAAAAAAAAAAAAAAAAAA")),
                        h.key(localOriginal("purgedBBBBBBBBBBBBBBBBBB")));
    }

    private AuditReport audit(Duration ahead) throws java.io.IOException {
        for (String top : MediaStoreLayout.TOP_LEVEL_DIRS) {
            Files.createDirectories(h.mediaStore().resolve(top));
        }
        try (Engine engine = Engine.open(h.config(), "test", RunListener.NONE, h.requests,
                Clock.offset(Clock.systemUTC(), ahead))) {
            return engine.audit().run(new AuditRequest("test", 0, false, Optional.empty(), false, true,
                    OptionalDouble.empty()), AuditProgress.NONE);
        }
    }
}

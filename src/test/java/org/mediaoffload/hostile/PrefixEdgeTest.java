package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.OTHER_SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;
import static org.mediaoffload.testing.OffloadHarness.localThumbDir;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediaoffload.Engine;
import org.mediaoffload.audit.AuditProgress;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.audit.AuditRequest;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * Prefixes as upstream uses them (key = prefix + relative path, so a prefix without a trailing slash is glued to
 * the path) and the neighbours such a prefix has in the same bucket: keys that start with our prefix's characters
 * but belong to another deployment ({@code synapse-old/...} under prefix {@code synapse}). Nothing of a neighbour is
 * read, rewritten or deleted, by a run or by {@code audit --delete-orphans}.
 */
class PrefixEdgeTest extends EngineTestBase {
    private static final String PREFIX = "synapse";

    /** Another deployment's objects: media paths below "synapse-old/" and "synapse.bak/", written with another key. */
    private Map<String, byte[]> neighbours() {
        Map<String, byte[]> keys = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            String id = String.format("neighbour%015d", i);
            keys.put("synapse-old/" + localOriginal(id), bytes(300, 500 + i));
            keys.put("synapse.bak/" + localThumbDir(id) + "/32-32-image-png", bytes(30, 600 + i));
        }
        return keys;
    }

    private void putRaw(Map<String, byte[]> objects, String sseKey) {
        String saved = h.prefix;
        h.prefix = "";
        objects.forEach((key, content) -> h.putObject(key, content, Optional.of(sseKey)));
        h.prefix = saved;
    }

    private Map<String, String> rawObjects() {
        Map<String, String> etags = new TreeMap<>();
        server.adminClient().listObjectsV2Paginator(l -> l.bucket(h.bucket())).contents()
                .forEach(o -> etags.put(o.key(), o.eTag() + " " + o.size() + " " + o.lastModified()));
        return etags;
    }

    @Test
    void aPrefixWithoutTrailingSlashIsGluedToThePathAndItsNeighboursAreLeftAlone() throws Exception {
        harness(Db.SQLITE);
        h.prefix = PREFIX;
        Map<String, byte[]> neighbours = neighbours();
        putRaw(neighbours, OTHER_SSE_KEY);
        Map<String, String> before = rawObjects();
        byte[] content = bytes(300, 1);
        h.addLocal("gluedPrefixAAAAAAAAAAAAA", content, 3 * DAY_MS);
        h.pinTarget(); // the neighbours are no sample of ours; the admin accepted the target

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        String key = "synapse" + localOriginal("gluedPrefixAAAAAAAAAAAAA");
        assertThat(h.bucketKeys()).contains(key).noneMatch(k -> k.startsWith("synapse/"));
        assertThat(h.objectBytes(localOriginal("gluedPrefixAAAAAAAAAAAAA"))).contains(content);
        Map<String, String> after = rawObjects();
        after.remove(key);
        assertThat(after).as("the neighbours' objects, untouched").isEqualTo(before);
    }

    /**
     * With no pin, the neighbours under our prefix's characters are not media of ours: they neither pin the target
     * (they do not decrypt with our key) nor get rewritten. The run may refuse (it cannot prove the bucket is ours)
     * but changes nothing.
     */
    @Test
    void unpinnedNeighboursThatOurKeyCannotReadAreNeverRewritten() throws Exception {
        harness(Db.POSTGRES);
        h.prefix = PREFIX;
        putRaw(neighbours(), OTHER_SSE_KEY);
        Map<String, String> before = rawObjects();
        byte[] content = bytes(300, 2);
        h.addLocal("unpinnedPrefixAAAAAAAAAA", content, 3 * DAY_MS);

        RunSummary summary = h.run();

        Map<String, String> after = rawObjects();
        after.remove("synapse" + localOriginal("unpinnedPrefixAAAAAAAAAA"));
        assertThat(after).isEqualTo(before);
        NothingLost.assertLocalOrInTheBucket(h, Map.of(localOriginal("unpinnedPrefixAAAAAAAAAA"), content));
        assertThat(summary.status()).isIn(RunStatus.SUCCEEDED, RunStatus.REFUSED);
    }

    /**
     * Odd but valid key characters in the prefix: a leading slash, a double slash, a space, non-ASCII, '+', '%'.
     * Either the run uses the prefix byte for byte, or the store refuses the prefix itself (the SDK's own listing
     * fails the same way) and the run stops as MISCONFIGURED before anything is uploaded or deleted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/media/", "media//", "médias/", "a b/", "x+y/", "p%z/"})
    void anOddPrefixIsUsedByteForByteOrRefusedBeforeAnything(String prefix) throws Exception {
        harness(Db.SQLITE);
        h.prefix = prefix;
        byte[] content = bytes(300, 3);
        String media = "oddPrefixAAAAAAAAAAAAAAA";
        h.addLocal(media, content, 3 * DAY_MS);

        RunSummary summary = h.run();

        if (summary.status() != RunStatus.SUCCEEDED) {
            // S3Proxy refuses some of these (a listing under "/media/": 400; a PUT under "media//" through the SDK's
            // Apache client, which sends the path with one slash where it signed two: 403 SignatureDoesNotMatch).
            // Our PUTs send the key as signed, and S3Proxy then stores "media//x" as "media/x": not the key we
            // asked for, so the verification did not find ours and kept the file. Either way nothing was deleted and
            // nothing is at the key we meant.
            assertThat(summary.status()).isIn(RunStatus.MISCONFIGURED, RunStatus.FAILED_FILES);
            assertThat(h.localExists(localOriginal(media))).isTrue();
            // At most the object S3Proxy stored under its own (one-slash) form of the key; never at ours.
            assertThat(h.bucketKeys()).doesNotContain(prefix + localOriginal(media))
                    .isSubsetOf(prefix.replace("//", "/") + localOriginal(media));
            assertThat(sdkFails(() -> server.adminClient().listObjectsV2(l -> l.bucket(h.bucket()).prefix(prefix)))
                    || sdkFails(() -> h.putObject(localOriginal(media), content, Optional.of(SSE_KEY))))
                    .as("the store refuses this prefix to the SDK too: %s", summary.errors()).isTrue();
            return;
        }
        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.bucketKeys()).containsExactly(prefix + localOriginal(media));
        assertThat(h.objectBytes(localOriginal(media))).contains(content);
        assertThat(h.localExists(localOriginal(media))).isFalse();
    }

    private static boolean sdkFails(Runnable call) {
        try {
            call.run();
            return false;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            return true;
        }
    }

    /**
     * {@code audit --delete-orphans} past the grace under a prefix without trailing slash: our two purged media go,
     * and the neighbours' objects (media paths of another deployment, with no row here, even written with our key)
     * stay: a key below our prefix's characters is ours only if prefix + Synapse's path builds it.
     */
    @Test
    void deleteOrphansUnderAGluedPrefixNeverDeletesANeighbour() throws Exception {
        harness(Db.POSTGRES);
        h.prefix = PREFIX;
        for (int i = 0; i < 40; i++) {
            String id = String.format("kept%020d", i);
            h.putObject(localOriginal(id), bytes(100, i), Optional.of(SSE_KEY));
            h.fixture().insertLocal(id, 100L, System.currentTimeMillis() - DAY_MS, null, null, null);
        }
        Set<String> purged = Set.of(h.key(localOriginal("purgedAAAAAAAAAAAAAAAAAA")),
                h.key(localOriginal("purgedBBBBBBBBBBBBBBBBBB")));
        h.putObject(localOriginal("purgedAAAAAAAAAAAAAAAAAA"), bytes(100, 90), Optional.of(SSE_KEY));
        h.putObject(localOriginal("purgedBBBBBBBBBBBBBBBBBB"), bytes(100, 91), Optional.of(SSE_KEY));
        Map<String, byte[]> neighbours = neighbours();
        putRaw(neighbours, SSE_KEY);
        h.pinTarget();

        audit(Duration.ofHours(1));
        AuditReport r = audit(Duration.ofDays(32));

        assertThat(r.orphansDeleted()).as("our two purged media").isEqualTo(2);
        assertThat(rawObjects().keySet()).containsAll(neighbours.keySet()).doesNotContainAnyElementsOf(purged)
                .hasSize(40 + neighbours.size());
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

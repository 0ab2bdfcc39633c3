package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * Database rows whose ids try to leave the media store or its four trees, or that no file system can hold: a local
 * media_id climbing out with "..", a remote origin ".." (which would land in the store root, outside the four trees),
 * "." (an odd depth inside remote_content), one with a slash, and ids and origins longer than a file name may be.
 * Beside each target path there is a file of exactly the row's media_length. None of those files is read (access
 * times), uploaded, or deleted, and the honest media beside them (one with a leading '-', which is a valid id) are
 * offloaded as usual.
 */
class HostileRowsTest extends EngineTestBase {
    private static final String NORMAL = "normalMediaAAAAAAAAAAAAA";
    private static final String DASHED = "-rf-MediaBBBBBBBBBBBBBBB";
    private static final int SIZE = 321;

    @ParameterizedTest
    @EnumSource(Db.class)
    void rowsThatLeaveTheStoreAreSkippedAndNothingThereIsRead(Db db) throws Exception {
        harness(db);
        Path store = h.mediaStore();
        long old = System.currentTimeMillis() - 3 * DAY_MS;
        byte[] normal = bytes(SIZE, 1);
        byte[] dashed = bytes(SIZE, 2);
        h.addLocal(NORMAL, normal, 3 * DAY_MS);
        h.addLocal(DASHED, dashed, 3 * DAY_MS);

        // Where the hostile ids would lead, if they were joined as they come: a file of media_length bytes each.
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        NothingLost.plant(outside.resolve("canary"), bytes(SIZE, 10));
        NothingLost.plant(store.resolve("aa/bb/cccccccc"), bytes(SIZE, 11)); // remote_content/../aa/bb/cccccccc
        NothingLost.plant(store.resolve("remote_content/aa/bb/dddddddd"), bytes(SIZE, 12)); // remote_content/./...
        h.fixture().insertLocal("../../../outside/canary", (long) SIZE, old, null, null, null);
        h.fixture().insertLocal("..aabbbbbbbbbbbbbbbbbbbb", (long) SIZE, old, null, null, null);
        h.fixture().insertRemote("..", "m1", "aabbcccccccc", (long) SIZE, old, old, null);
        h.fixture().insertRemote(".", "m2", "aabbdddddddd", (long) SIZE, old, old, null);
        h.fixture().insertRemote("evil.example/../..", "m3", "aabbeeeeeeee", (long) SIZE, old, old, null);
        // Longer than NAME_MAX (255 bytes): no file can have this name, so no row can name a file Synapse wrote.
        String longId = "ab" + "cd" + "x".repeat(300);
        String longOrigin = "o".repeat(300) + ".example";
        h.fixture().insertLocal(longId, (long) SIZE, old, null, null, null);
        h.fixture().insertRemote(longOrigin, "m4", "aabbffffffff", (long) SIZE, old, old, null);
        Map<String, String> outsideBefore = NothingLost.snapshot(outside);
        Map<String, String> rootBefore = NothingLost.snapshot(store.resolve("aa"));
        Map<String, String> remoteBefore = NothingLost.snapshot(store.resolve("remote_content"));

        RunSummary summary = h.run();

        assertThat(h.bucketKeys())
                .containsExactlyInAnyOrder(h.key(localOriginal(NORMAL)), h.key(localOriginal(DASHED)));
        assertThat(h.objectBytes(localOriginal(NORMAL))).contains(normal);
        assertThat(h.objectBytes(localOriginal(DASHED))).contains(dashed);
        assertThat(h.localExists(localOriginal(NORMAL))).isFalse();
        assertThat(h.localExists(localOriginal(DASHED))).isFalse();
        assertThat(NothingLost.snapshot(outside)).as("never read, never touched").isEqualTo(outsideBefore);
        assertThat(NothingLost.snapshot(store.resolve("aa"))).isEqualTo(rootBefore);
        assertThat(NothingLost.snapshot(store.resolve("remote_content"))).isEqualTo(remoteBefore);
        // Discovery starts from the disk (a walk that yields only Synapse's layout) and looks the ids it found up in
        // the database: a row whose ids no walk can yield is never looked at, so it is not even a skip.
        assertThat(summary.status()).as("%s", summary.errors()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(summary.errors()).isEmpty();
    }
}

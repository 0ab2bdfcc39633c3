package org.mediaoffload.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mediaoffload.testing.OffloadHarness.SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;

/**
 * A store whose paged listing answers a continuation token with its first page again (a token it forgot, a proxy
 * that drops it) hands back the same token for ever: a full listing of a prefix must end with an error naming it,
 * not list for ever.
 */
class RepeatedTokenTest {
    @RegisterExtension
    static final MisbehavingServer S3 = new MisbehavingServer();

    @TempDir
    Path tmp;

    private OffloadHarness h;

    @AfterEach
    void close() throws Exception {
        S3.store().reset();
        if (h != null) {
            h.close();
        }
    }

    @Test
    @Timeout(120) // without the check this listing never ends
    void aListingWhosePagesRepeatEndsWithAnErrorInsteadOfListingForEver() throws Exception {
        h = new OffloadHarness(Db.SQLITE, tmp, S3.server());
        for (int i = 0; i < 20; i++) {
            h.putObject(localOriginal(String.format("tok%021d", i)), bytes(10, i), Optional.of(SSE_KEY));
        }
        String prefix = h.key("local_content/");
        S3.store().pageListingsAt(7);
        try (S3ObjectStore store = S3ObjectStore.create(h.s3Config(), S3RequestObserver.NONE)) {
            assertThat(store.list(prefix)).as("an honest paged listing").hasSize(20);

            S3.store().replayFirstPages(1_000);

            assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("continuation token").hasMessageContaining(prefix);
        }
    }
}

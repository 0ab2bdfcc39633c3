package org.mediaoffload.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.OffloadHarness.Db;

/** A fresh media store, database and bucket per test, on the class's S3Proxy. */
public abstract class EngineTestBase extends S3ProxyTestBase {
    @TempDir
    protected Path tmp;

    protected OffloadHarness h;

    @AfterEach
    void closeHarness() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    protected OffloadHarness harness(Db db) {
        h = new OffloadHarness(db, tmp, server);
        return h;
    }
}

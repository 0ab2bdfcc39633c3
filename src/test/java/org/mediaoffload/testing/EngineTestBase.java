package org.mediaoffload.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.OffloadHarness.Db;

/** One S3Proxy per test class (it takes a second to start), a fresh store and bucket per test. */
public abstract class EngineTestBase {
    protected static S3ProxyServer server;

    @TempDir
    protected Path tmp;

    protected OffloadHarness h;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

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

package org.mediaoffload.hostile;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mediaoffload.testing.S3ProxyServer;

/**
 * One S3Proxy per test class with a {@link MisbehavingStore} in front of its storage, as a JUnit extension
 * ({@code @RegisterExtension static final MisbehavingServer S3 = new MisbehavingServer();}). Each test resets the
 * store itself, before it closes its harness: a held PUT must be let go first, or the close waits for it.
 */
final class MisbehavingServer implements BeforeAllCallback, AfterAllCallback {
    private MisbehavingStore store;
    private S3ProxyServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = S3ProxyServer.builder().middleware(s -> {
            store = new MisbehavingStore(s);
            return store;
        }).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    S3ProxyServer server() {
        return server;
    }

    MisbehavingStore store() {
        return store;
    }
}

package org.mediaoffload.testing;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link ToxicProxy} per test, closed after it (even when the test fails while the proxy is frozen, so no pump
 * thread outlives the test): {@code @RegisterExtension final ToxicProxyExtension toxic = new ToxicProxyExtension();}
 * then {@code toxic.start(port)} in the test and {@code toxic.proxy()} wherever the proxy is needed later.
 */
public final class ToxicProxyExtension implements AfterEachCallback {
    private ToxicProxy proxy;

    /** Starts the test's proxy in front of {@code upstreamPort} on loopback. */
    public ToxicProxy start(int upstreamPort) throws IOException {
        if (proxy != null) {
            throw new IllegalStateException("this test's proxy is already started");
        }
        proxy = new ToxicProxy(upstreamPort);
        return proxy;
    }

    /** The proxy {@link #start} started. */
    public ToxicProxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException("no proxy started in this test");
        }
        return proxy;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (proxy != null) {
            try {
                proxy.close();
            } finally {
                proxy = null;
            }
        }
    }
}

package org.mediaoffload.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's latency proxy relays every byte of both directions intact, keeps a half-closed connection's
 * other direction open (HTTP clients and TLS close_notify rely on it), and carries many connections at once.
 * Its delay is measured in the benchmark, not asserted here (no timing assertions in tests).
 */
class LatencyProxyTest {
    private ServerSocket echo;
    private ExecutorService pool;
    private LatencyProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        pool = Executors.newCachedThreadPool();
        pool.submit(this::echoLoop);
        proxy = new LatencyProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), 2);
        pool.submit(proxy::serve);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
        pool.shutdownNow();
    }

    @Test
    void relaysBothDirectionsIntactAcrossAHalfClose() throws Exception {
        byte[] sent = random(3 << 20, 1);

        byte[] received = roundTrip(sent);

        assertThat(received).isEqualTo(sent);
        // The proxy counts a chunk just after writing it: the client may have read it a moment before.
        await().untilAsserted(() -> assertThat(proxy.stats()).contains("connections=1", "bytes_up=" + sent.length,
                "bytes_down=" + sent.length));
    }

    @Test
    void carriesManyConnectionsAtOnce() throws Exception {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] sent = random(64 << 10, i);
            results.add(pool.submit(() -> Arrays.equals(roundTrip(sent), sent)));
        }
        for (Future<Boolean> r : results) {
            assertThat(r.get()).isTrue();
        }
        assertThat(proxy.stats()).contains("connections=40");
    }

    private byte[] roundTrip(byte[] body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            // Write from another thread: the echo answers while we still send, as a server streams a response.
            Future<?> writer = pool.submit(() -> {
                s.getOutputStream().write(body);
                s.shutdownOutput();
                return null;
            });
            byte[] back = s.getInputStream().readAllBytes();
            try {
                writer.get();
            } catch (Exception e) {
                throw new IOException(e);
            }
            return back;
        }
    }

    private Void echoLoop() throws IOException {
        while (!echo.isClosed()) {
            Socket s = echo.accept();
            pool.submit(() -> {
                try (s) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        s.getOutputStream().write(buf, 0, n);
                    }
                    s.shutdownOutput();
                }
                return null;
            });
        }
        return null;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}

package org.mediaoffload.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of a server (TLS passes through untouched), to simulate outages with real
 * sockets: forward, refuse new connections (accept and close at once: the client sees a reset/EOF), cut the
 * connections in flight, cut everything once N request bytes went upstream and then refuse, or freeze: keep
 * every connection open and accept new ones, but pass no byte either way (a server that hangs without closing).
 */
public final class ToxicProxy implements AutoCloseable {
    private enum Mode { FORWARD, REFUSE, FREEZE }

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private volatile Mode mode = Mode.FORWARD;
    private volatile long cutAfter = Long.MAX_VALUE;
    private volatile long freezeAt = Long.MAX_VALUE;

    public ToxicProxy(int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "toxic-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The loopback port clients connect to (e.g. a database client's port). */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code https://127.0.0.1:<proxy port>}, valid for an {@link S3ProxyServer}'s certificate. */
    public URI httpsEndpoint() {
        return URI.create("https://127.0.0.1:" + listener.getLocalPort());
    }

    public void forward() {
        cutAfter = Long.MAX_VALUE;
        freezeAt = Long.MAX_VALUE;
        synchronized (this) {
            mode = Mode.FORWARD;
            notifyAll();
        }
    }

    /**
     * From now on no byte passes in either direction and new connections are accepted but never answered, while
     * every socket stays open: what a hung database or store looks like to a client. {@link #forward} thaws.
     */
    public synchronized void freeze() {
        mode = Mode.FREEZE;
    }

    /**
     * Freezes (as {@link #freeze}) once {@code bytes} more request bytes went upstream: a stall at a point of a run
     * set by what was sent, not by when a test thread notices progress (a fast machine can finish the work first).
     */
    public void freezeAfter(long bytes) {
        freezeAt = upstreamBytes.get() + bytes;
    }

    /** Whether the proxy is frozen now. */
    public boolean frozen() {
        return mode == Mode.FREEZE;
    }

    /** New connections are accepted and closed at once; existing ones keep working. */
    public void refuse() {
        mode = Mode.REFUSE;
    }

    /** Closes every connection in flight (mid-request or idle in the client's pool). */
    public void cutConnections() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Once {@code bytes} more client-to-server bytes have passed: cut everything and refuse new connections. */
    public void cutAfterUpstreamBytes(long bytes) {
        cutAfter = upstreamBytes.get() + bytes;
    }

    /** Client-to-server bytes forwarded so far. */
    public long upstreamBytes() {
        return upstreamBytes.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (mode == Mode.REFUSE) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                awaitThaw();
                if (listener.isClosed()) {
                    break;
                }
                Socket server = new Socket(upstream.getAddress(), upstream.getPort());
                open.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                // listener closed, or upstream down: the client sees its connection closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean isUpstream) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    awaitThaw();
                    out.write(buffer, 0, n);
                    if (isUpstream) {
                        long sent = upstreamBytes.addAndGet(n);
                        if (sent >= cutAfter) {
                            mode = Mode.REFUSE;
                            cutConnections();
                        } else if (sent >= freezeAt) {
                            freezeAt = Long.MAX_VALUE;
                            freeze();
                        }
                    }
                }
            } catch (IOException e) {
                // cut or closed by the other side
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "toxic-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Holds the calling pump (or the acceptor) while frozen; an interrupt or close ends the wait. */
    private synchronized void awaitThaw() throws IOException {
        while (mode == Mode.FREEZE && !listener.isClosed()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while frozen", e);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutConnections();
        synchronized (this) {
            notifyAll(); // frozen pumps see the closed listener and end
        }
    }
}

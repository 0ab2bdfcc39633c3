package org.mediaoffload.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Unix-domain socket (e.g. {@code dir/.s.PGSQL.5432}, where libpq and we look for PostgreSQL) relayed to a
 * loopback TCP port, so the Unix-socket connection path can be tested against the real server; {@link #freeze}
 * makes it a server that accepts and never answers, as {@link ToxicProxy#freeze} does for TCP.
 */
public final class UnixSocketRelay implements AutoCloseable {
    private final Path socket;
    private final int upstreamPort;
    private final ServerSocketChannel listener;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean frozen;

    public UnixSocketRelay(Path socket, int upstreamPort) throws IOException {
        this.socket = socket;
        this.upstreamPort = upstreamPort;
        this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::acceptLoop, "unix-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** No byte passes any more and new connections are accepted but never answered; sockets stay open. */
    public synchronized void freeze() {
        frozen = true;
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            try {
                SocketChannel client = listener.accept();
                open.add(client);
                awaitThaw();
                SocketChannel server = SocketChannel.open(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // closed, or upstream down: the client sees its connection closed
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buffer) != -1) {
                    awaitThaw();
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // cut or closed by the other side
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "unix-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void awaitThaw() throws IOException {
        while (frozen && listener.isOpen()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while frozen", e);
            }
        }
        if (!listener.isOpen()) {
            throw new IOException("relay closed");
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(UnixSocketRelay::closeQuietly);
        synchronized (this) {
            notifyAll();
        }
        Files.deleteIfExists(socket);
    }
}

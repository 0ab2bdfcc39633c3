package org.mediaoffload.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay that adds a fixed one-way delay to each direction, so that a loopback server looks like one a WAN round
 * trip away (10 ms each way = 20 ms per round trip) for every client alike, whatever it sends (TLS is relayed as
 * bytes). Unlike S3Proxy's per-storage-operation latency it delays what a real link delays: the TLS handshake, every
 * request and every response, and a client that pipelines or keeps many connections busy gains what it would gain
 * on a real link.
 *
 * <p>It delays but does not limit throughput: a reader thread per direction keeps reading while its writer waits for
 * each chunk's due time, so a direction carries up to {@link #IN_FLIGHT_BYTES} in flight (far more than a 10 ms
 * window of loopback traffic needs). A new connection's first byte waits one extra round trip, as the TCP handshake
 * of a real link would make it.
 *
 * <p>Usage: {@code LatencyProxy <upstream-host> <upstream-port> <one-way-ms> <info-file> <max-seconds>}. Listens on
 * 127.0.0.1 on a free port, writes {@code port=} to the info file once ready, serves until killed or until
 * {@code max-seconds} have passed, and prints its connection and byte counts when it stops.
 */
public final class LatencyProxy {
    /** Bytes a direction may hold between reading and writing before its reader waits (backpressure). */
    static final int IN_FLIGHT_BYTES = 16 << 20;
    private static final int CHUNK = 64 << 10;

    private final InetSocketAddress upstream;
    private final long delayNanos;
    private final ServerSocket listener;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();

    LatencyProxy(InetSocketAddress upstream, long oneWayMillis) throws IOException {
        this.upstream = upstream;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(oneWayMillis);
        this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LatencyProxy <upstream-host> <upstream-port> <one-way-ms> <info-file>"
                    + " <max-seconds>");
            System.exit(2);
        }
        LatencyProxy proxy = new LatencyProxy(new InetSocketAddress(args[0], Integer.parseInt(args[1])),
                Long.parseLong(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("LatencyProxy: " + proxy.stats())));
        Thread acceptor = new Thread(proxy::serve, "latency-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        Path info = Path.of(args[3]);
        Path tmp = info.resolveSibling(info.getFileName() + ".tmp");
        Files.writeString(tmp, "port=" + proxy.port() + "\npid=" + ProcessHandle.current().pid() + "\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, info, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("LatencyProxy on 127.0.0.1:" + proxy.port() + " -> " + args[0] + ":" + args[1] + ", "
                + args[2] + " ms each way");
        // A forgotten proxy never outlives the benchmark by much.
        TimeUnit.SECONDS.sleep(Long.parseLong(args[4]));
        System.exit(0);
    }

    int port() {
        return listener.getLocalPort();
    }

    String stats() {
        return "connections=" + connections.get() + " bytes_up=" + bytesUp.get() + " bytes_down=" + bytesDown.get();
    }

    void serve() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                start(() -> relay(client), "latency-proxy-connect");
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("LatencyProxy: accept failed: " + e);
                }
            }
        }
    }

    void close() throws IOException {
        listener.close();
    }

    private void relay(Socket client) {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            // The TCP handshake of a real link: one round trip before anything can be sent. What the client
            // sends meanwhile waits in the kernel's buffer, as it would wait for the handshake.
            LockSupport.parkNanos(2 * delayNanos);
            server.connect(upstream, 10_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        AtomicInteger ended = new AtomicInteger();
        Direction up = new Direction(client, server, bytesUp, ended);
        Direction down = new Direction(server, client, bytesDown, ended);
        up.start("up");
        down.start("down");
    }

    /** One direction of one connection: a reader that stamps chunks with their due time, a writer that waits. */
    private final class Direction {
        private static final byte[] EOF = new byte[0];
        private final Socket from;
        private final Socket to;
        private final AtomicLong counter;
        private final AtomicInteger ended;
        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final Semaphore budget = new Semaphore(IN_FLIGHT_BYTES);

        Direction(Socket from, Socket to, AtomicLong counter, AtomicInteger ended) {
            this.from = from;
            this.to = to;
            this.counter = counter;
            this.ended = ended;
        }

        void start(String name) {
            LatencyProxy.start(this::read, "latency-proxy-read-" + name);
            LatencyProxy.start(this::write, "latency-proxy-write-" + name);
        }

        private void read() {
            byte[] buf = new byte[CHUNK];
            try {
                // Not closed here: closing a socket's stream closes the socket, which the other direction writes.
                InputStream in = from.getInputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    budget.acquireUninterruptibly(n);
                    queue.add(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + delayNanos));
                }
            } catch (IOException e) {
                // A reset or a closed peer ends this direction like an EOF.
            }
            queue.add(new Chunk(EOF, System.nanoTime() + delayNanos));
        }

        private void write() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    long wait;
                    while ((wait = c.due() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (c.bytes() == EOF) {
                        // Half-close, as the peer did; both sockets close once the other direction has ended too.
                        to.shutdownOutput();
                        if (ended.incrementAndGet() == 2) {
                            closeQuietly(from);
                            closeQuietly(to);
                        }
                        return;
                    }
                    out.write(c.bytes());
                    counter.addAndGet(c.bytes().length);
                    budget.release(c.bytes().length);
                }
            } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Chunk(byte[] bytes, long due) {}

    private static void start(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Nothing to do: the connection is gone either way.
        }
    }
}

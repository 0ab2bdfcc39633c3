package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.mediaoffload.pipeline.NamedThreadFactory;

/**
 * A started JDK HttpServer with its own named, bounded worker pool. Each connection with a request to read takes a
 * worker (the JDK server reads the request on it), so slow clients are bounded twice: a request must be read
 * within {@link #READ_LIMIT}, and once every worker is busy a further connection is closed at once. Excess work
 * never runs on the server's dispatcher thread, which must stay free to accept and hand out connections.
 */
final class Listener implements AutoCloseable {
    /** A real client sends its request in milliseconds; one dribbling a header line every few seconds is cut. */
    static final Duration READ_LIMIT = Duration.ofSeconds(10);
    /** Our handlers answer from memory; this only ends a write to a client that stopped reading. */
    static final Duration HANDLE_LIMIT = Duration.ofSeconds(60);

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final ExchangeDeadlines deadlines;

    /**
     * @param maxWorkers connections served at once; more are closed until a worker is free. Sized so that dozens
     *                   of slow clients cannot starve {@code /healthz}, each extra worker costing only an idle
     *                   thread (the pool shrinks back to one after a minute)
     */
    Listener(String name, String bind, int port, int maxWorkers, List<Router> routes) {
        this(name, bind, port, maxWorkers, routes, READ_LIMIT, HANDLE_LIMIT);
    }

    /** With other limits (tests tell the pool's bound from the read limit this way). */
    Listener(String name, String bind, int port, int maxWorkers, List<Router> routes, Duration readLimit,
            Duration handleLimit) {
        requireNonNull(name, "name is null");
        requireNonNull(bind, "bind is null");
        deadlines = new ExchangeDeadlines(name, readLimit, handleLimit);
        // A direct hand-off: a new worker per connection up to maxWorkers, then AbortPolicy. The server catches
        // the rejection and closes that connection (instead of running it on the dispatcher, as CallerRunsPolicy
        // would: one slow client there stalls every other connection).
        executor = new ThreadPoolExecutor(1, maxWorkers, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new NamedThreadFactory(name), new ThreadPoolExecutor.AbortPolicy());
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        } catch (IOException e) {
            executor.shutdown();
            deadlines.close();
            throw new UncheckedIOException("cannot listen on " + bind + ":" + port + " (" + name + "): "
                    + e.getMessage(), e);
        }
        for (Router route : routes) {
            server.createContext(route.path(), route).getFilters().add(deadlines.handlingStarted());
        }
        server.setExecutor(task -> executor.execute(deadlines.track(task)));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        // Give exchanges in flight a second; status and metrics requests are short.
        server.stop(1);
        deadlines.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

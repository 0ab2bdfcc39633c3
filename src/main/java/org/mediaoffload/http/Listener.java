package org.mediaoffload.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.mediaoffload.pipeline.NamedThreadFactory;

/** A started JDK HttpServer with its own small, named, bounded executor. */
final class Listener implements AutoCloseable {
    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    Listener(String name, String bind, int port, int threads, List<Router> routes) {
        requireNonNull(name, "name is null");
        requireNonNull(bind, "bind is null");
        // Under overload the accepting thread runs the request itself, which slows accepting: back-pressure
        // instead of an unbounded queue.
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32),
                new NamedThreadFactory(name), new ThreadPoolExecutor.CallerRunsPolicy());
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (IOException e) {
            executor.shutdown();
            throw new UncheckedIOException("cannot listen on " + bind + ":" + port + " (" + name + "): "
                    + e.getMessage(), e);
        }
        for (Router route : routes) {
            server.createContext(route.path(), route);
        }
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        // Give exchanges in flight a second; status and metrics requests are short.
        server.stop(1);
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

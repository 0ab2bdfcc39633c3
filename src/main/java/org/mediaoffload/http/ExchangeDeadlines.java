package org.mediaoffload.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mediaoffload.pipeline.NamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long one exchange may hold a worker thread. The JDK server reads a request's line and headers on the
 * worker, blocking, before any handler runs, so a client that sends a header line every few seconds holds a worker
 * for as long as it likes; enough of them and the admin API stops answering. A watchdog interrupts a worker still
 * reading its request after {@code readLimit}, or still in its handler after {@code handleLimit}; the interrupt
 * closes the (interruptible) channel and the server drops that connection.
 *
 * <p>Our own watchdog rather than the server's {@code sun.net.httpserver.maxReqTime}: that property is read once,
 * when the server class first loads, so whether it applies would depend on what ran earlier in the JVM.
 */
final class ExchangeDeadlines implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExchangeDeadlines.class);

    private enum Phase { READING, HANDLING }

    private record Busy(Phase phase, long sinceNanos) {}

    private final long readLimitNanos;
    private final long handleLimitNanos;
    private final Map<Thread, Busy> busy = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;

    ExchangeDeadlines(String name, Duration readLimit, Duration handleLimit) {
        this.readLimitNanos = readLimit.toNanos();
        this.handleLimitNanos = handleLimit.toNanos();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(name + "-deadlines"));
        long periodMs = Math.max(100, Math.min(readLimit.toMillis(), handleLimit.toMillis()) / 4);
        watchdog.scheduleWithFixedDelay(this::expire, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Wraps the server's exchange task: from now on the worker is reading a request. */
    Runnable track(Runnable exchange) {
        return () -> {
            Thread worker = Thread.currentThread();
            busy.put(worker, new Busy(Phase.READING, System.nanoTime()));
            try {
                exchange.run();
            } finally {
                busy.remove(worker);
                Thread.interrupted(); // a late interrupt must not hit the worker's next exchange
            }
        };
    }

    /** Runs once the request line and headers are read, before the handler: the read deadline no longer applies. */
    Filter handlingStarted() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                busy.computeIfPresent(Thread.currentThread(), (t, b) -> new Busy(Phase.HANDLING, System.nanoTime()));
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "starts the handler deadline";
            }
        };
    }

    private void expire() {
        long now = System.nanoTime();
        busy.forEach((worker, state) -> {
            long limit = state.phase() == Phase.READING ? readLimitNanos : handleLimitNanos;
            // remove(key, value) fails if the worker moved on meanwhile: only a worker still in this state is hit.
            if (now - state.sinceNanos() > limit && busy.remove(worker, state)) {
                log.debug("Closing an HTTP connection: {} took longer than {} ms", state.phase() == Phase.READING
                        ? "reading its request" : "its handler", TimeUnit.NANOSECONDS.toMillis(limit));
                worker.interrupt();
            }
        });
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}

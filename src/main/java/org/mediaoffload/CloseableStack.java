package org.mediaoffload;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a composition root opened, closed in reverse order. Every part is closed even when one fails; the failures
 * travel as suppressed exceptions, so a failing close never leaves the parts below it open.
 */
final class CloseableStack implements AutoCloseable {
    private final String owner;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    /** @param owner names what is being closed in the exception, e.g. "the engine" */
    CloseableStack(String owner) {
        this.owner = owner;
    }

    /** Registers {@code closeable} to be closed before everything pushed earlier; returns it. */
    <T extends AutoCloseable> T push(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    /** After a failed start: closes everything, adding what fails to {@code failure} (which the caller throws). */
    void closeAfter(Throwable failure) {
        closeAll(failure);
    }

    /** Closes everything; if any part failed, throws once with each failure suppressed. */
    @Override
    public void close() {
        RuntimeException failure = new IllegalStateException("closing " + owner + " failed");
        closeAll(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private void closeAll(Throwable collector) {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                collector.addSuppressed(e);
            }
        }
    }
}

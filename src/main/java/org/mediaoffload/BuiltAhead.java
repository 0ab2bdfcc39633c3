package org.mediaoffload;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A part of a composition root built on its own thread while the root opens the others, taken with {@link #take}
 * where it is needed. Why: on a cold JVM some parts cost mostly class loading and initialisation (the S3 client:
 * about a second of CPU), which a second core can do while the main thread waits for the database.
 *
 * <p>Until taken, this owns the part: {@link #close} (on a failed start) waits for it and closes it, so nothing
 * built ahead is left open. Once taken, the caller owns it.
 */
final class BuiltAhead<T extends AutoCloseable> implements AutoCloseable {
    private final FutureTask<T> task;
    private boolean taken;

    private BuiltAhead(Supplier<T> build) {
        this.task = new FutureTask<>(build::get);
    }

    /** Starts building on a daemon thread named {@code thread}. */
    static <T extends AutoCloseable> BuiltAhead<T> start(String thread, Supplier<T> build) {
        BuiltAhead<T> ahead = new BuiltAhead<>(build);
        Thread builder = new Thread(ahead.task, thread);
        builder.setDaemon(true);
        builder.start();
        return ahead;
    }

    /**
     * The part, once built; what building it threw is thrown here, as it would have been on the caller's thread.
     * Waits without giving up on an interrupt (the build is short), keeping the interrupt for the caller.
     */
    synchronized T take() {
        T part = await();
        taken = true;
        return part;
    }

    @Override
    public synchronized void close() {
        if (taken) {
            return;
        }
        taken = true;
        T part;
        try {
            part = await();
        } catch (RuntimeException | Error e) {
            return; // it failed to build: nothing to close, and the start's own failure is the one to report
        }
        try {
            part.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing a part built ahead failed: " + e.getMessage(), e);
        }
    }

    private T await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package org.mediaoffload.audit;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How the audit stops a pool of its own threads (its readers, its merge): interrupt them, then wait for them up to a
 * bound even when the waiting thread is itself interrupted (the daemon stopping its audit), keeping that interrupt.
 * The waiting matters then most: the audit's caller closes the database, the bucket and the journal next.
 */
final class ThreadsEnd {
    private ThreadsEnd() {
    }

    /** @return whether every thread had ended within {@code wait} */
    static boolean interruptAndAwait(ExecutorService threads, Duration wait) {
        threads.shutdownNow();
        boolean interrupted = false;
        long end = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                try {
                    return threads.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

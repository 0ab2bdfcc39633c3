package org.mediaoffload.audit;

import java.time.Duration;

/**
 * Stands in for work that does not answer an interrupt (a JDBC query in progress, a read from a slow disk): it
 * takes its time whatever happens, then leaves the interrupt set, as such work does. Tests of how the audit stops
 * need it; nothing here waits for a condition (that is Awaitility's job).
 */
final class UninterruptibleWork {
    private UninterruptibleWork() {
    }

    static void take(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        boolean interrupted = false;
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.mediaoffload.cli;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that ends with exit code 0. Left to the JVM's default, SIGTERM runs
 * the shutdown hooks and exits 143, which systemd reports as a failure unless told otherwise. Public for the demo
 * jar's entry point.
 */
public final class StopSignals {
    private StopSignals() {}

    @SuppressWarnings("restriction")
    public static void onTermOrInt(Runnable action) {
        Signal.handle(new Signal("TERM"), signal -> action.run());
        Signal.handle(new Signal("INT"), signal -> action.run());
    }
}

package org.mediaoffload.ops;

/**
 * The main class of the one-class jar LauncherTest runs through deploy/synapse-media-offload on a real JVM: it
 * prints one line on standard output, so the test can tell the JVM's own messages from the program's.
 */
public final class LauncherProbe {
    private LauncherProbe() {
    }

    public static void main(String[] args) {
        System.out.println("probe " + String.join(" ", args));
    }
}

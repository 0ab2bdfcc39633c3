package org.mediaoffload.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something it needs from the machine (a server, a socket, a tool) is missing: skip with
 * the reason on a developer's machine, fail in CI (env {@code CI=true}) so a broken CI image cannot pass green.
 */
public final class TestRequirements {

    private TestRequirements() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Never returns normally: aborts (skips) the test, or fails it in CI. */
    public static RuntimeException missing(String reason) {
        if (inCi()) {
            Assertions.fail("CI=true and a test requirement is missing: " + reason);
        }
        Assumptions.abort(reason);
        throw new IllegalStateException("unreachable");
    }
}

package org.mediaoffload.testing;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs some tests need (browser, systemd-analyze, promtool). Missing on a developer machine: the
 * test is skipped with the package to install. Missing in CI (env CI=true): the test fails, so CI cannot
 * silently stop checking.
 */
public final class RequiredTool {
    private RequiredTool() {}

    public static Path require(String path, String debianPackage) {
        Path tool = Path.of(path);
        if (Files.isExecutable(tool)) {
            return tool;
        }
        String reason = path + " is missing: apt-get install -y " + debianPackage;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (required when CI=true)");
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }
}

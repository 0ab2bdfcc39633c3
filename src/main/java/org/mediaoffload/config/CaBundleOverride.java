package org.mediaoffload.config;

import com.typesafe.config.Config;
import java.util.Map;

/**
 * {@code AWS_CA_BUNDLE} in the process environment wins over {@code offload.s3.ca-bundle}, as it does for the AWS
 * CLI (documented precedence). A host-wide variable then silently replaces the file's value, and a TLS error
 * later points at a setting that looks right; so when the two differ, say so, naming both.
 */
final class CaBundleOverride {
    static final String VARIABLE = "AWS_CA_BUNDLE";
    private static final String SETTING = "offload.s3.ca-bundle";

    private CaBundleOverride() {}

    /** @param fromFiles the layers below the process environment */
    static void warnIfDifferent(Config fromFiles, Map<String, String> environment, Problems problems) {
        String fromEnvironment = environment.get(VARIABLE);
        if (fromEnvironment == null || fromEnvironment.isEmpty() || !fromFiles.hasPath(SETTING)) {
            return;
        }
        String configured = fromFiles.getString(SETTING);
        if (configured.isEmpty() || configured.equals(fromEnvironment)) {
            return;
        }
        problems.warning(VARIABLE + "=" + fromEnvironment + " in the process environment replaces " + SETTING + " = "
                + configured + " (" + Origins.describe(fromFiles.getValue(SETTING).origin()) + "): the environment"
                + " wins, as for the AWS CLI, so " + fromEnvironment + " is the CA bundle used. If " + configured
                + " is meant, unset " + VARIABLE + " for this process (systemd: UnsetEnvironment=" + VARIABLE + ").");
    }
}

package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The AWS variables the AWS CLI reads from the process environment. They win over every file, as they do for the
 * CLI. Without keys anywhere the credentials stay unset and the SDK's default chain (e.g. an instance profile)
 * applies later.
 */
final class ProcessEnvironmentSource {
    private final Map<String, String> environment;

    ProcessEnvironmentSource(Map<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    void readInto(DropInLayer layer) {
        set(layer, "AWS_ACCESS_KEY_ID", "offload.s3.access-key-id");
        set(layer, "AWS_SECRET_ACCESS_KEY", "offload.s3.secret-access-key");
        set(layer, "AWS_SESSION_TOKEN", "offload.s3.session-token");
        set(layer, "AWS_CA_BUNDLE", "offload.s3.ca-bundle");
        // The CLI (v2) prefers AWS_REGION over AWS_DEFAULT_REGION.
        if (isSet("AWS_REGION")) {
            set(layer, "AWS_REGION", "offload.s3.region");
        } else {
            set(layer, "AWS_DEFAULT_REGION", "offload.s3.region");
        }
    }

    private boolean isSet(String variable) {
        String value = environment.get(variable);
        return value != null && !value.isEmpty();
    }

    private void set(DropInLayer layer, String variable, String setting) {
        if (isSet(variable)) {
            layer.set(setting, environment.get(variable), "process environment (" + variable + ")");
        }
    }
}

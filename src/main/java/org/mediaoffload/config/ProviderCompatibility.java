package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Compares our bucket settings with the Synapse S3 provider's: everything we upload must be readable by the
 * provider, or media disappears for users once the local copy is deleted. Messages never show a key.
 */
public final class ProviderCompatibility {
    public enum Severity { ERROR, WARNING }

    /**
     * @param setting the setting the finding is about: ours ({@code offload.s3.bucket}) or, for the provider's
     *                flags, theirs ({@code store_local})
     */
    public record Finding(Severity severity, String setting, String message) {
        public Finding {
            requireNonNull(severity, "severity is null");
            requireNonNull(setting, "setting is null");
            requireNonNull(message, "message is null");
        }
    }

    private ProviderCompatibility() {}

    public static List<Finding> compare(S3Config ours, ProviderSettings theirs) {
        requireNonNull(ours, "ours is null");
        requireNonNull(theirs, "theirs is null");
        List<Finding> findings = new ArrayList<>();
        String provider = "Synapse's S3 provider (" + theirs.source() + ")";
        if (!ours.bucket().equals(theirs.bucket())) {
            findings.add(new Finding(Severity.ERROR, "offload.s3.bucket", "we upload to bucket " + ours.bucket()
                    + " but " + provider + " reads bucket " + theirs.bucket() + "; Synapse could not serve what we"
                    + " offload. Use the same bucket"));
        }
        if (!ours.prefix().equals(theirs.prefix())) {
            findings.add(new Finding(Severity.ERROR, "offload.s3.prefix", "our prefix \"" + ours.prefix() + "\""
                    + " differs from the provider's \"" + theirs.prefix() + "\" (" + provider + "); keys are prefix"
                    + " + path with no \"/\" added, so Synapse would look for " + theirs.prefix()
                    + "local_content/... while we write " + ours.prefix() + "local_content/.... Use the same prefix"));
        }
        compareSseC(ours, theirs, provider, findings);
        compareEndpoint(ours, theirs, provider, findings);
        if (!theirs.storeLocal()) {
            findings.add(new Finding(Severity.WARNING, "store_local", provider + " has store_local false"
                    + " (or unset): Synapse does not copy new local uploads to the bucket, so until our next run"
                    + " they exist only on local disk; we still offload them, and Synapse reads them back from the"
                    + " bucket afterwards"));
        }
        if (!theirs.storeRemote()) {
            findings.add(new Finding(Severity.WARNING, "store_remote", provider + " has"
                    + " store_remote false (or unset): Synapse does not copy media cached from other servers to"
                    + " the bucket; with include-remote = true we offload it anyway. Set include-remote = false to"
                    + " keep remote media local, as the provider does"));
        }
        return List.copyOf(findings);
    }

    private static void compareSseC(S3Config ours, ProviderSettings theirs, String provider, List<Finding> findings) {
        String setting = "offload.s3.sse-customer-key";
        Optional<SseCustomerKey> ourKey = ours.sseCustomerKey();
        if (ourKey.isPresent() && theirs.sseCustomerKey().isEmpty()) {
            findings.add(new Finding(Severity.ERROR, setting, "we encrypt with an SSE-C key but " + provider
                    + " has no sse_customer_key; Synapse could not read our objects (S3 answers 400)"));
        } else if (ourKey.isEmpty() && theirs.sseCustomerKey().isPresent()) {
            findings.add(new Finding(Severity.ERROR, setting, provider + " has an sse_customer_key but we have none;"
                    + " Synapse could not read our unencrypted objects with its key (S3 answers 400)"));
        } else if (ourKey.isPresent()) {
            SseCustomerKey key = ourKey.get();
            try {
                SseCustomerKey providerKey = SseCustomerKey.fromConfiguredString(
                        theirs.sseCustomerKey().get().value(), theirs.sseCustomerAlgorithm());
                if (!key.sameKeyAs(providerKey)) {
                    findings.add(new Finding(Severity.ERROR, setting, "our SSE-C key differs from the"
                            + " sse_customer_key of " + provider + " (neither is shown); Synapse could not read"
                            + " our objects. Use the same key"));
                }
            } catch (IllegalArgumentException e) {
                findings.add(new Finding(Severity.ERROR, setting, "the sse_customer_key of " + provider + " "
                        + e.getMessage() + "; it cannot equal ours"));
            }
            if (!key.algorithm().equals(theirs.sseCustomerAlgorithm())) {
                findings.add(new Finding(Severity.ERROR, "offload.s3.sse-customer-algorithm", "our SSE-C algorithm "
                        + key.algorithm() + " differs from the provider's sse_customer_algo "
                        + theirs.sseCustomerAlgorithm() + " (" + provider + ")"));
            }
        }
    }

    private static void compareEndpoint(S3Config ours, ProviderSettings theirs, String provider,
            List<Finding> findings) {
        Optional<String> ourEndpoint = ours.endpoint().map(URI::toString);
        Optional<String> theirEndpoint = theirs.endpointUrl();
        if (!ourEndpoint.map(ProviderCompatibility::normalize).equals(theirEndpoint.map(ProviderCompatibility::normalize))) {
            findings.add(new Finding(Severity.WARNING, "offload.s3.endpoint", "our endpoint "
                    + ourEndpoint.orElse("(AWS)") + " differs from the provider's endpoint_url "
                    + theirEndpoint.orElse("(AWS)") + " (" + provider + "). That is fine when both reach the same"
                    + " store (an internal and a public name); otherwise Synapse cannot read what we upload"));
        }
    }

    private static String normalize(String endpoint) {
        try {
            URI uri = new URI(endpoint.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("http") ? 80 : 443;
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
            return scheme + "://" + host + ":" + port + path;
        } catch (URISyntaxException e) {
            return endpoint.strip();
        }
    }
}

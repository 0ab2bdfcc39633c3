package org.mediaoffload.pin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediaoffload.config.ConfigException;
import org.mediaoffload.config.ConfigLoader;
import org.mediaoffload.config.ConfigSources;
import org.mediaoffload.config.ProviderCompatibility;
import org.mediaoffload.config.ProviderSettings;
import org.mediaoffload.config.S3Config;

/**
 * Our target against Synapse's S3 provider entry in homeserver.yaml, read again each time it is asked (the daemon
 * asks before every run, so an edited homeserver.yaml is noticed without a restart).
 */
public final class ProviderCheck {
    public enum Kind {
        /** No --homeserver-config: nothing to compare with. */
        NOT_GIVEN,
        /** homeserver.yaml has no S3 provider entry: Synapse cannot read offloaded media back. */
        NO_ENTRY,
        /** Bucket, prefix and SSE-C key are the provider's (endpoint differences are only warnings). */
        MATCHES,
        /** Bucket, prefix or SSE-C key differ, or homeserver.yaml cannot be read. */
        DIFFERS
    }

    /** @param message what to tell the operator; warnings are the endpoint and store_* findings */
    public record Result(Kind kind, String message, List<String> warnings) {}

    private final Optional<Path> homeserverConfig;

    public ProviderCheck(Optional<Path> homeserverConfig) {
        this.homeserverConfig = homeserverConfig;
    }

    public Optional<Path> homeserverConfig() {
        return homeserverConfig;
    }

    public Result check(S3Config ours) {
        if (homeserverConfig.isEmpty()) {
            return new Result(Kind.NOT_GIVEN, "no --homeserver-config", List.of());
        }
        Path file = homeserverConfig.get();
        Optional<ProviderSettings> provider;
        try {
            provider = ConfigLoader.providerSettings(new ConfigSources(Optional.empty(), Optional.empty(),
                    Optional.empty(), homeserverConfig));
        } catch (ConfigException e) {
            return new Result(Kind.DIFFERS, file + " could not be read to compare our target with Synapse's S3"
                    + " provider: " + e.getMessage(), List.of());
        }
        if (provider.isEmpty()) {
            return new Result(Kind.NO_ENTRY, file + " has no S3 storage provider entry (media_storage_providers with"
                    + " module s3_storage_provider.S3StorageProviderBackend): Synapse cannot read offloaded media"
                    + " back, so no local file is deleted. Add the provider entry (the playbook does with"
                    + " matrix_synapse_ext_synapse_s3_storage_provider_enabled), or point --homeserver-config at the"
                    + " file Synapse reads", List.of());
        }
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (ProviderCompatibility.Finding f : ProviderCompatibility.compare(ours, provider.get())) {
            (f.severity() == ProviderCompatibility.Severity.ERROR ? errors : warnings)
                    .add(f.setting() + ": " + f.message());
        }
        if (!errors.isEmpty()) {
            return new Result(Kind.DIFFERS, "our settings do not match Synapse's S3 storage provider in " + file
                    + "; Synapse could not read what we upload:\n  " + String.join("\n  ", errors), warnings);
        }
        return new Result(Kind.MATCHES, "bucket, prefix and SSE-C key match " + provider.get().source(), warnings);
    }
}

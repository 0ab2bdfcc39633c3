package org.mediaoffload.cli;

import java.util.List;
import java.util.Optional;
import org.mediaoffload.config.ConfigLoader;
import org.mediaoffload.config.ConfigSources;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.ProviderCompatibility;
import org.mediaoffload.config.ProviderSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration for a command that moves media, and refuses to start when the Synapse S3 provider (from
 * homeserver.yaml) would not be able to read what we upload: another bucket, prefix or SSE-C key. The same
 * comparison runs again before every run ({@code TargetGuard}), together with the pinned target.
 */
final class StartupChecks {
    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

    private StartupChecks() {}

    static OffloadConfig load(ConfigSources sources) {
        ConfigLoader.Loaded loaded = ConfigLoader.read(sources, System.getenv());
        OffloadConfig config = loaded.config();
        config.warnings().forEach(w -> log.warn("{}", w));
        // One multi-line entry on purpose: the admin's own settings, not names from disk or the database (log
        // arguments are escaped onto one line, see logging.EscapingMessageConverter).
        // The description has its own heading: adding one here printed "Effective configuration:" twice.
        log.info(ConfigLoader.describe(config));
        StringBuilder origins = new StringBuilder();
        loaded.origins().forEach((setting, origin) ->
                origins.append("\n  ").append(setting).append(": ").append(origin));
        // Multi-line on purpose, like the description above (the admin's own settings and files).
        log.info("Where each setting came from (defaults omitted):" + origins);
        Optional<ProviderSettings> provider = loaded.provider();
        if (provider.isEmpty()) {
            // Without homeserver.yaml the pinned target is the guard (the warning, while nothing is pinned, comes
            // from the run); with a homeserver.yaml lacking the entry, each run keeps every local file and says so.
            sources.homeserverConfig().ifPresent(file -> log.warn("*** {} has no S3 storage provider entry: Synapse"
                    + " cannot read offloaded media back, so no local file will be deleted. ***", file));
            return config;
        }
        List<ProviderCompatibility.Finding> findings = ProviderCompatibility.compare(config.s3(), provider.get());
        StringBuilder errors = new StringBuilder();
        for (ProviderCompatibility.Finding f : findings) {
            if (f.severity() == ProviderCompatibility.Severity.ERROR) {
                errors.append("\n  ").append(f.setting()).append(": ").append(f.message());
            } else {
                log.warn("{}: {}", f.setting(), f.message());
            }
        }
        if (errors.length() > 0) {
            throw new StartupException("our settings do not match the Synapse S3 storage provider in "
                    + sources.homeserverConfig().map(Object::toString).orElse("homeserver.yaml")
                    + "; Synapse could not read what we upload:" + errors);
        }
        return config;
    }
}

package org.mediaoffload.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mediaoffload.catalog.SynapseCatalogs;
import org.mediaoffload.config.ConfigLoader;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.ProviderCompatibility;
import org.mediaoffload.config.ProviderSettings;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.journal.StateDirLock;
import org.mediaoffload.journal.StateLockedException;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.RunCoordinator;
import org.mediaoffload.pipeline.StoreCapabilities;
import org.mediaoffload.pipeline.TargetFingerprint;
import org.mediaoffload.s3.BucketProbe;
import org.mediaoffload.s3.ProbeResult;
import org.mediaoffload.s3.S3ClientFactory;
import org.mediaoffload.store.MediaStoreRoot;
import org.mediaoffload.pin.TargetAcceptance;
import org.mediaoffload.pin.TargetPins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Validates everything before the first run: the configuration, the database (read-only), the bucket (probes) and,
 * with --homeserver-config, that Synapse's S3 provider reads what we write. Exit 0 all good, 1 a check failed,
 * 2 the configuration is invalid.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate the configuration, the database, the bucket and the Synapse S3 provider's settings.")
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    SourceOptions sources = new SourceOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        ConfigLoader.Loaded loaded = ConfigLoader.read(sources.sources(), System.getenv());
        OffloadConfig config = loaded.config();
        out.println("Configuration is valid.");
        out.println(ConfigLoader.describe(config));
        out.println("Where each setting came from (defaults omitted):");
        loaded.origins().forEach((setting, origin) ->
                out.println("  " + setting + ": " + origin));
        // The warnings are already in the description above ("  warning: ..."): printing them again only doubled them.
        boolean ok = checkDatabase(config, out);
        ok &= checkBucket(config, out);
        ok &= checkProvider(config, loaded.provider(), out);
        out.println(ok ? "All checks passed." : "Some checks failed; see above.");
        return ok ? ExitCodes.OK : ExitCodes.RUN_INCOMPLETE;
    }

    /** The database, then the media store, which needs it: run-once and the daemon refuse what this refuses. */
    private static boolean checkDatabase(OffloadConfig config, PrintStream out) {
        try (MediaCatalog catalog = SynapseCatalogs.open(config.database())) {
            catalog.ping();
            out.println("[ok]   database: Synapse's media tables are readable (read-only connection)");
            return checkMediaStore(config, catalog, out);
        } catch (RuntimeException e) {
            out.println("[FAIL] database: " + e.getMessage());
            out.println("[warn] media store: not checked (without the database, a new homeserver's empty store and"
                    + " a wrong offload.media-store-path look the same)");
            return false;
        }
    }

    /**
     * The start-up check of run-once and the daemon (a path one level too high, a disk not mounted). Without it here,
     * check-config passed a media-store-path that the first run-once then refused with exit 2.
     */
    private static boolean checkMediaStore(OffloadConfig config, MediaCatalog catalog, PrintStream out) {
        Optional<String> problem = MediaStoreRoot.problem(config.mediaStorePath(), catalog::listsAnyMedia);
        if (problem.isPresent()) {
            out.println("[FAIL] media store: " + problem.get());
            return false;
        }
        out.println("[ok]   media store: " + config.mediaStorePath().toAbsolutePath().normalize()
                + (MediaStoreRoot.hasLayout(config.mediaStorePath()) ? " holds Synapse's media directories"
                        : " has none of Synapse's media directories yet, and Synapse's database lists no media"));
        return true;
    }

    private static boolean checkBucket(OffloadConfig config, PrintStream out) {
        try (S3Client client = S3ClientFactory.create(config.s3())) {
            BucketProbe probe = new BucketProbe(client, config.s3());
            List<ProbeResult> results = probe.run();
            boolean ok = true;
            for (ProbeResult r : results) {
                // "bucket reachable" already says "bucket"; the other probes' names do not.
                String name = r.name().startsWith("bucket") ? r.name() : "bucket " + r.name();
                out.println((r.ok() ? "[ok]   " : "[FAIL] ") + name + ": " + r.message());
                ok &= r.ok();
            }
            recordCapabilities(config, probe.capabilities(), out);
            return ok;
        } catch (RuntimeException e) {
            out.println("[FAIL] bucket: " + e.getMessage());
            return false;
        }
    }

    /** Runs believe a checksum or an ETag only where this probe, for this very target, showed it can be believed. */
    private static void recordCapabilities(OffloadConfig config, StoreCapabilities found, PrintStream out) {
        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(config.stateDir())) {
            found.write(journal, TargetFingerprint.of(config.s3()));
        } catch (RuntimeException e) {
            out.println("[warn] could not record the bucket probe's results in " + config.stateDir() + ": "
                    + e.getMessage() + " (runs then prove existing objects only by their own upload journal)");
        }
    }

    /**
     * Compares our bucket, prefix and SSE-C key with homeserver.yaml's S3 provider. When they match, pins the target
     * in the state directory (replacing another pinned one: Synapse reads this one), confirmed against the provider:
     * from then on runs against it start, and objects our key cannot read may be rewritten with it.
     */
    private static boolean checkProvider(OffloadConfig config, Optional<ProviderSettings> provider, PrintStream out) {
        if (provider.isEmpty()) {
            out.println("[warn] provider: no --homeserver-config with an s3_storage_provider entry; cannot confirm"
                    + " that Synapse reads what we upload (same bucket, prefix and SSE-C key)");
            return true;
        }
        boolean ok = true;
        for (ProviderCompatibility.Finding f : ProviderCompatibility.compare(config.s3(), provider.get())) {
            boolean error = f.severity() == ProviderCompatibility.Severity.ERROR;
            out.println((error ? "[FAIL] " : "[warn] ") + "provider " + f.setting() + ": " + f.message());
            ok &= !error;
        }
        if (ok) {
            out.println("[ok]   provider: bucket, prefix and SSE-C key match " + provider.get().source());
            pinTarget(config, out);
        }
        return ok;
    }

    @SuppressWarnings("try") // the lock is held for the try's duration, never read: it keeps a run out meanwhile
    private static void pinTarget(OffloadConfig config, PrintStream out) {
        // Under the state-dir lock: replacing a target voids the journal's proofs, which must not happen under a run.
        try (StateDirLock lock = StateDirLock.acquire(config.stateDir(), "check-config");
                SqliteOffloadJournal journal = SqliteOffloadJournal.open(config.stateDir())) {
            TargetAcceptance.Outcome pinned = new TargetAcceptance(new TargetPins(journal), Clock.systemUTC())
                    .confirmedByProvider(config.s3());
            out.println("[ok]   target: " + pinned.message());
        } catch (StateLockedException e) {
            out.println("[warn] target: not pinned, " + e.getMessage() + ". Run check-config again once it has"
                    + " stopped, or send POST /api/v1/target with the admin token to the running daemon");
        } catch (RuntimeException e) {
            out.println("[warn] target: could not be pinned in " + config.stateDir() + ": " + e.getMessage());
        }
    }
}

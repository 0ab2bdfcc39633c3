package org.mediaoffload.pin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.RunGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a run start only against the pinned target: the same normalised endpoint, bucket, prefix and SSE-C key as the
 * media already verified from this state directory. With no pin yet the target is proven first (the prefix holds no
 * media, or {@link ExistingObjectSample#REQUIRED} sampled objects decrypt with our key, or Synapse's provider entry
 * matches) and pinned at the first verified file of a real run; a dry run never pins. A homeserver.yaml is compared
 * with at every run; one without an S3 provider entry keeps every local file.
 */
public final class TargetGuard implements RunGate {
    private static final Logger log = LoggerFactory.getLogger(TargetGuard.class);

    /** What the status page and {@code GET /api/v1/target} show; no secret, only the key's fingerprint. */
    public record View(Target configured, Optional<PinnedTarget> pinned, Optional<String> mismatch) {}

    private final S3Config s3;
    private final Path stateDir;
    private final TargetPins pins;
    private final ProviderCheck provider;
    private final ObjectStore store;
    private final ExistingObjectSample sample;
    private final TargetAcceptance acceptance;
    private final Clock clock;
    private volatile Optional<String> mismatch = Optional.empty();

    public TargetGuard(S3Config s3, Path stateDir, TargetPins pins, ProviderCheck provider, ObjectStore store,
            Clock clock) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.stateDir = requireNonNull(stateDir, "stateDir is null");
        this.pins = requireNonNull(pins, "pins is null");
        this.provider = requireNonNull(provider, "provider is null");
        this.store = requireNonNull(store, "store is null");
        this.sample = new ExistingObjectSample(store);
        this.clock = requireNonNull(clock, "clock is null");
        this.acceptance = new TargetAcceptance(pins, clock);
    }

    @Override
    public synchronized Verdict beforeRun(boolean dryRun) {
        Target configured = Target.of(s3);
        ProviderCheck.Result check = provider.check(s3);
        check.warnings().forEach(w -> log.warn("{}", w));
        if (check.kind() == ProviderCheck.Kind.DIFFERS) {
            return refuse(check.message());
        }
        List<String> notes = new ArrayList<>();
        boolean mayDelete = check.kind() != ProviderCheck.Kind.NO_ENTRY;
        if (!mayDelete) {
            notes.add(check.message());
        }
        boolean providerMatches = check.kind() == ProviderCheck.Kind.MATCHES;
        Optional<PinnedTarget> pinned = pins.pinned();
        if (pinned.isPresent()) {
            List<String> differences = configured.differencesFrom(pinned.get().target());
            if (!differences.isEmpty()) {
                return refuse(mismatchMessage(pinned.get(), differences));
            }
            mismatch = Optional.empty();
            boolean rewrite = s3.rewriteUnreadable() || pinned.get().providerConfirmed() || providerMatches;
            return new Verdict(Optional.empty(), mayDelete, rewrite, notes, () -> {});
        }
        if (providerMatches) {
            // Synapse reads exactly this target, which is what check-config would pin.
            mismatch = Optional.empty();
            return new Verdict(Optional.empty(), mayDelete, true, notes,
                    pinAtFirstVerified(dryRun, configured, "first verified upload, homeserver.yaml matching", true));
        }
        // The bucket preflight first: a missing bucket, refused credentials, TLS or DNS are a misconfiguration
        // (TargetUnusableException, naming the setting), not something the sample should report as a refusal.
        store.checkBucket();
        ExistingObjectSample.Outcome sampled = sample.check(s3.prefix());
        if (sampled.refusal().isPresent()) {
            return refuse("no target is pinned in " + stateDir + " yet, and this one cannot be pinned from the"
                    + " bucket: " + sampled.refusal().get() + ". " + waysForward());
        }
        if (check.kind() == ProviderCheck.Kind.NOT_GIVEN) {
            log.warn("*** No target is pinned yet and Synapse's S3 provider settings were not compared with ours (no"
                    + " --homeserver-config). If bucket, prefix or SSE-C key differ from the provider's, Synapse will"
                    + " not find what we upload. Run check-config with --homeserver-config once. ***");
        }
        log.info("No target pinned yet; {}: {} is pinned at the first verified file", sampled.finding(),
                configured.describe());
        mismatch = Optional.empty();
        return new Verdict(Optional.empty(), mayDelete, s3.rewriteUnreadable(), notes,
                pinAtFirstVerified(dryRun, configured, "first verified upload", false), true);
    }

    /**
     * Why an audit must not start: the configured target is not the pinned one, or homeserver.yaml's S3 provider
     * names another (an audit there would report on, and reconcile would delete from, a bucket Synapse does not read
     * through this state directory). With no pin yet an audit goes ahead: it reads only, and finding objects our key
     * cannot read is part of its job, so the run's sampling rule does not apply. A reconcile deletes from the bucket,
     * so it needs a pin: at an unproven target (another bucket, prefix or key than Synapse's) every object looks
     * orphaned, and the fraction guard alone should not be all that stands between that and a deletion.
     *
     * @param deletesOrphans the audit is asked to reconcile ({@code --delete-orphans}, dry run or not)
     */
    public synchronized Optional<String> auditRefusal(boolean deletesOrphans) {
        ProviderCheck.Result check = provider.check(s3);
        if (check.kind() == ProviderCheck.Kind.DIFFERS) {
            return Optional.of(refuse(check.message()).refusal().orElseThrow());
        }
        Optional<PinnedTarget> pinned = pins.pinned();
        if (pinned.isPresent()) {
            List<String> differences = Target.of(s3).differencesFrom(pinned.get().target());
            if (!differences.isEmpty()) {
                return Optional.of(refuse(mismatchMessage(pinned.get(), differences)).refusal().orElseThrow());
            }
        } else if (deletesOrphans) {
            return Optional.of(unpinnedReconcileMessage());
        }
        return Optional.empty();
    }

    private String unpinnedReconcileMessage() {
        String homeserver = provider.homeserverConfig().map(Path::toString).orElse("/matrix/synapse/config/homeserver.yaml");
        return "audit --delete-orphans (offload.audit.delete-orphans) deletes from the bucket only at the pinned"
                + " target, and no target is pinned in " + stateDir + " yet: at a bucket, prefix or SSE-C key that"
                + " Synapse does not read, every object would look orphaned. Nothing was read or deleted. Pin the"
                + " target first: run check-config --homeserver-config " + homeserver + " with the same options (it"
                + " pins the target if it equals Synapse's S3 provider entry), or accept-target with the same options"
                + " for a target you have checked yourself; a run also pins it at its first verified upload. An audit"
                + " without --delete-orphans needs no pin.";
    }

    /**
     * An intended move ({@code POST /api/v1/target}): records the configured target, voiding the proofs for the old
     * one. The caller makes sure no run is going.
     */
    public synchronized TargetAcceptance.Outcome accept(String by) {
        TargetAcceptance.Outcome outcome = acceptance.accept(s3, provider, by);
        mismatch = Optional.empty();
        log.warn("{}", outcome.message());
        return outcome;
    }

    public View view() {
        Optional<PinnedTarget> pinned = pins.pinned();
        return new View(Target.of(s3), pinned, mismatch(pinned));
    }

    /**
     * True while runs are refused for their target (the {@code target_mismatch} gauge): the last run was, or the
     * configured target is not the pinned one (known before the first run of a freshly started daemon).
     */
    public boolean mismatched() {
        return mismatch(pins.pinned()).isPresent();
    }

    private Optional<String> mismatch(Optional<PinnedTarget> pinned) {
        Optional<String> refused = mismatch;
        if (refused.isPresent() || pinned.isEmpty()) {
            return refused;
        }
        List<String> differences = Target.of(s3).differencesFrom(pinned.get().target());
        return differences.isEmpty() ? Optional.empty() : Optional.of(mismatchMessage(pinned.get(), differences));
    }

    private Runnable pinAtFirstVerified(boolean dryRun, Target target, String by, boolean confirmed) {
        if (dryRun) {
            return () -> {};
        }
        return () -> {
            synchronized (this) {
                if (pins.pinned().isEmpty()) {
                    pins.pin(new PinnedTarget(target, by, clock.instant(), confirmed));
                    log.info("Pinned the target: {}", target.describe());
                }
            }
        };
    }

    private Verdict refuse(String why) {
        mismatch = Optional.of(why);
        return Verdict.refuse(why);
    }

    private String mismatchMessage(PinnedTarget pinned, List<String> differences) {
        return "the configured target is not the one pinned in " + stateDir + " (" + pinned.describe() + "):\n  "
                + String.join("\n  ", differences) + "\nNothing was uploaded or deleted. " + waysForward();
    }

    private String waysForward() {
        String homeserver = provider.homeserverConfig().map(Path::toString).orElse("/matrix/synapse/config/homeserver.yaml");
        return "Two ways forward: (1) if Synapse's S3 provider reads the configured target, run check-config"
                + " --homeserver-config " + homeserver + " with the same options: it pins the target only if it"
                + " equals the provider entry; (2) for an intended move to a new target, run accept-target with the"
                + " same options (or POST /api/v1/target with the admin token to the running daemon): it records the"
                + " new target, voids the journal's proofs for the old one and starts no run. Objects at the old"
                + " target are not copied.";
    }
}

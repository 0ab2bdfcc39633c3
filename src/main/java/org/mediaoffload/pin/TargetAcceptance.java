package org.mediaoffload.pin;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import org.mediaoffload.config.S3Config;

/**
 * Records a target on purpose: {@code accept-target} and {@code POST /api/v1/target} (an intended move), and
 * {@code check-config --homeserver-config} when the target equals Synapse's provider entry. Never starts a run and
 * never copies objects. Callers hold the state-directory lock, and no run is going.
 */
public final class TargetAcceptance {
    /** What happened, for the operator. */
    public record Outcome(Optional<PinnedTarget> previous, PinnedTarget now, String message) {}

    private final TargetPins pins;
    private final Clock clock;

    public TargetAcceptance(TargetPins pins, Clock clock) {
        this.pins = requireNonNull(pins, "pins is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Pins {@code s3}'s target. When it differs from the pinned one, the journal's proofs for the old one are voided.
     *
     * @throws TargetException when homeserver.yaml is given and its provider entry reads another bucket, prefix or key
     */
    public Outcome accept(S3Config s3, ProviderCheck provider, String by) {
        ProviderCheck.Result check = provider.check(s3);
        if (check.kind() == ProviderCheck.Kind.DIFFERS) {
            throw new TargetException("the target was not changed: " + check.message());
        }
        return record(Target.of(s3), by, check.kind() == ProviderCheck.Kind.MATCHES);
    }

    /** check-config: pins the target it just found equal to Synapse's provider entry. */
    public Outcome confirmedByProvider(S3Config s3) {
        return record(Target.of(s3), "check-config --homeserver-config", true);
    }

    private Outcome record(Target target, String by, boolean providerConfirmed) {
        Optional<PinnedTarget> previous = pins.pinned();
        PinnedTarget now = new PinnedTarget(target, by, clock.instant(), providerConfirmed);
        StringBuilder message = new StringBuilder();
        if (previous.isPresent() && previous.get().target().equals(target)) {
            pins.pin(now);
            message.append("The pinned target is unchanged: ").append(target.describe())
                    .append(providerConfirmed ? "; now confirmed against Synapse's S3 provider." : ".");
        } else {
            pins.replace(now);
            message.append("Pinned target: ").append(target.describe()).append('.');
            previous.ifPresent(old -> message.append("\nIt replaces ").append(old.target().describe())
                    .append(" (").append(String.join("; ", target.differencesFrom(old.target()))).append(").")
                    .append("\nObjects at the old target are NOT copied: media offloaded there stays there, and")
                    .append(" Synapse finds it only while its S3 provider reads that target. The journal's proofs")
                    .append(" for the old target were voided."));
        }
        return new Outcome(previous, now, message.toString());
    }
}

package org.mediaoffload.pin;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The target recorded in the state directory, with how it got there.
 *
 * @param pinnedBy          what pinned it: {@code first verified upload}, {@code check-config}, {@code accept-target}
 *                          or {@code POST /api/v1/target}
 * @param providerConfirmed the target was equal to Synapse's S3 provider entry in homeserver.yaml when pinned; only
 *                          then may objects our key cannot read be overwritten without offload.s3.rewrite-unreadable
 */
public record PinnedTarget(Target target, String pinnedBy, Instant pinnedAt, boolean providerConfirmed) {
    public PinnedTarget {
        requireNonNull(target, "target is null");
        requireNonNull(pinnedBy, "pinnedBy is null");
        requireNonNull(pinnedAt, "pinnedAt is null");
    }

    public String describe() {
        return target.describe() + " (pinned " + pinnedAt + " by " + pinnedBy
                + (providerConfirmed ? ", confirmed against Synapse's S3 provider" : "") + ")";
    }
}

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of local_media_repository or remote_media_cache, as far as offloading cares.
 *
 * @param origin       "" for local media, media_origin for remote media
 * @param mediaId      local media_id, or the remote server's media_id (never used in paths)
 * @param filesystemId the id used on disk: media_id for local, filesystem_id for remote
 * @param mediaLength  bytes, empty while an async upload is pending (media_length IS NULL)
 * @param lastUsedTs   COALESCE(last_access_ts, created_ts) in epoch ms, the age upstream selects on
 * @param sha256       Synapse's SHA-256 of the original (lowercase hex; Synapse 1.128+), empty for older media
 */
public record MediaRow(
        MediaKind kind,
        String origin,
        String mediaId,
        String filesystemId,
        OptionalLong mediaLength,
        long lastUsedTs,
        boolean quarantined,
        Optional<String> sha256) {

    /** A row without Synapse's hash (before 1.128, or a catalog that does not read it). */
    public MediaRow(MediaKind kind, String origin, String mediaId, String filesystemId, OptionalLong mediaLength,
            long lastUsedTs, boolean quarantined) {
        this(kind, origin, mediaId, filesystemId, mediaLength, lastUsedTs, quarantined, Optional.empty());
    }

    public MediaRow {
        requireNonNull(kind, "kind is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(mediaId, "mediaId is null");
        requireNonNull(filesystemId, "filesystemId is null");
        requireNonNull(mediaLength, "mediaLength is null");
        requireNonNull(sha256, "sha256 is null");
    }

    public MediaRef ref() {
        return new MediaRef(kind, origin, mediaId);
    }
}

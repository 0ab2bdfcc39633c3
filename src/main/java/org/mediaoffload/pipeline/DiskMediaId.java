package org.mediaoffload.pipeline;

/**
 * A media as found on disk: local media_id, or (origin, filesystem_id) for remote media.
 * This is how disk and database are joined.
 */
public record DiskMediaId(MediaKind kind, String origin, String filesystemId) {
    public static DiskMediaId of(MediaRow row) {
        return new DiskMediaId(row.kind(), row.origin(), row.filesystemId());
    }
}

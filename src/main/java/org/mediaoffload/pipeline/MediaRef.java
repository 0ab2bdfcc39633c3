package org.mediaoffload.pipeline;

/** Identifies a media row by its unique key: (media_id) for local, (media_origin, media_id) for remote. */
public record MediaRef(MediaKind kind, String origin, String mediaId) {
    @Override
    public String toString() {
        return kind == MediaKind.LOCAL ? mediaId : origin + "/" + mediaId;
    }
}

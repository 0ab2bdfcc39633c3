package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.store.MediaLocation;
import org.mediaoffload.store.MediaStoreLayout;

/**
 * What a key below our prefix names in Synapse's layout: a media's original, one of its thumbnails, or nothing
 * Synapse could have written ({@link Foreign}: directory markers, other applications' data, odd depths). A key
 * parses only if {@link MediaStoreLayout} builds exactly that key back from the parsed ids, so the audit and the
 * offload agree on every path rule.
 */
sealed interface StoreKey permits StoreKey.Original, StoreKey.Thumbnail, StoreKey.Foreign {

    record Original(DiskMediaId id) implements StoreKey {}

    record Thumbnail(DiskMediaId id, String name) implements StoreKey {}

    record Foreign() implements StoreKey {}

    StoreKey FOREIGN = new Foreign();

    /** The media an original or thumbnail key belongs to; null for a foreign key. */
    static DiskMediaId mediaOf(StoreKey key) {
        if (key instanceof Original o) {
            return o.id();
        }
        return key instanceof Thumbnail t ? t.id() : null;
    }

    /** @param relative the key without our prefix */
    static StoreKey parse(MediaStoreLayout layout, String relative) {
        requireNonNull(relative, "relative is null");
        String[] p = relative.split("/", -1);
        switch (p[0]) {
            case MediaStoreLayout.LOCAL_CONTENT:
                return p.length == 4 ? original(layout, MediaKind.LOCAL, "", p, 1, relative) : FOREIGN;
            case MediaStoreLayout.LOCAL_THUMBNAILS:
                return p.length == 5 ? thumbnail(layout, MediaKind.LOCAL, "", p, 1, relative) : FOREIGN;
            case MediaStoreLayout.REMOTE_CONTENT:
                return p.length == 5 ? original(layout, MediaKind.REMOTE, p[1], p, 2, relative) : FOREIGN;
            case MediaStoreLayout.REMOTE_THUMBNAIL:
                return p.length == 6 ? thumbnail(layout, MediaKind.REMOTE, p[1], p, 2, relative) : FOREIGN;
            default:
                return FOREIGN;
        }
    }

    private static StoreKey original(MediaStoreLayout layout, MediaKind kind, String origin, String[] p, int at,
            String relative) {
        DiskMediaId id = id(kind, origin, p, at);
        if (id == null) {
            return FOREIGN;
        }
        MediaLocation location = layout.locate(id);
        return location instanceof MediaLocation.Valid valid && valid.original().equals(relative)
                ? new Original(id) : FOREIGN;
    }

    private static StoreKey thumbnail(MediaStoreLayout layout, MediaKind kind, String origin, String[] p, int at,
            String relative) {
        DiskMediaId id = id(kind, origin, p, at);
        String name = p[p.length - 1];
        if (id == null || !MediaStoreLayout.isValidComponent(name)) {
            return FOREIGN;
        }
        MediaLocation location = layout.locate(id);
        return location instanceof MediaLocation.Valid valid && (valid.thumbnailDir() + "/" + name).equals(relative)
                ? new Thumbnail(id, name) : FOREIGN;
    }

    /** aa/bb/rest back into the id, or null when the split is not Synapse's 2/2/rest. */
    private static DiskMediaId id(MediaKind kind, String origin, String[] p, int at) {
        if (p[at].length() != 2 || p[at + 1].length() != 2 || p[at + 2].isEmpty()) {
            return null;
        }
        return new DiskMediaId(kind, origin, p[at] + p[at + 1] + p[at + 2]);
    }
}

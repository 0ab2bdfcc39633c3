package org.mediaoffload.audit;

import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.store.MediaStoreLayout;

/**
 * The four media trees a key can be in. The reconcile's fraction guard is per tree kind: a wrong database makes
 * nearly every key of a tree look orphaned, while a real purge leaves most of each tree's media in place.
 */
enum TreeKind {
    LOCAL_CONTENT(MediaStoreLayout.LOCAL_CONTENT),
    LOCAL_THUMBNAILS(MediaStoreLayout.LOCAL_THUMBNAILS),
    REMOTE_CONTENT(MediaStoreLayout.REMOTE_CONTENT),
    REMOTE_THUMBNAIL(MediaStoreLayout.REMOTE_THUMBNAIL);

    private final String dir;

    TreeKind(String dir) {
        this.dir = dir;
    }

    String dir() {
        return dir;
    }

    /** @return null for a foreign key */
    static TreeKind of(StoreKey key) {
        if (key instanceof StoreKey.Original o) {
            return o.id().kind() == MediaKind.LOCAL ? LOCAL_CONTENT : REMOTE_CONTENT;
        }
        if (key instanceof StoreKey.Thumbnail t) {
            return t.id().kind() == MediaKind.LOCAL ? LOCAL_THUMBNAILS : REMOTE_THUMBNAIL;
        }
        return null;
    }
}

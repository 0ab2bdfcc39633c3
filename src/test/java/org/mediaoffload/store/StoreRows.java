package org.mediaoffload.store;

import java.util.OptionalLong;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;

/** The media rows the store's path tests locate: only the kind and the ids name a path; the rest is fixed. */
final class StoreRows {
    private StoreRows() {
    }

    static MediaRow local(String id) {
        return new MediaRow(MediaKind.LOCAL, "", id, id, OptionalLong.of(1), 0, false);
    }

    static MediaRow remote(String origin, String fsId) {
        return new MediaRow(MediaKind.REMOTE, origin, "remote-media-id", fsId, OptionalLong.of(1), 0, false);
    }
}

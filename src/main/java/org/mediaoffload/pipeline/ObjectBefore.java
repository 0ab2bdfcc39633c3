package org.mediaoffload.pipeline;

import java.util.Optional;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;

/**
 * Whether the object listed after our PUT can be the one the key already held, when the PUT's answer or the listing
 * carried no ETag to compare (a proxy that strips it; Ceph RGW's CompleteMultipartUpload answers an empty one).
 *
 * <p>Only an object of the local size at the key before the upload can pass for ours afterwards: a store that
 * answers our PUT 200 and keeps that object would otherwise be trusted on its size alone, and the file deleted
 * against other bytes. So when the object listed has the size, the ETag and the Last-Modified the key had before the
 * upload (or one of those cannot be compared), it is not taken for ours: the file is kept and the next run tries
 * again. An object written since has a new Last-Modified (or a new ETag), which tells them apart.
 */
final class ObjectBefore {
    private ObjectBefore() {}

    /** Why the listed object may still be the old one; empty when it is not (or both ETags can be compared). */
    static Optional<String> mayBeTheOldObject(PutReceipt receipt, HeadResult before, ListedObject listed) {
        Optional<String> listedETag = listed.eTag().filter(e -> !e.isEmpty());
        if (receipt.eTag().filter(e -> !e.isEmpty()).isPresent() && listedETag.isPresent()) {
            return Optional.empty(); // the PUT's ETag is compared with the listing's instead
        }
        if (!(before instanceof HeadResult.Present old) || old.size() != listed.size()) {
            return Optional.empty(); // the key held no object of this size before our PUT
        }
        if (differ(old.eTag().filter(e -> !e.isEmpty()), listedETag)) {
            return Optional.empty();
        }
        if (old.lastModified().isPresent() && listed.lastModified().isPresent()
                && listed.lastModified().get().isAfter(old.lastModified().get())) {
            return Optional.empty();
        }
        return Optional.of("uploaded, but the store's answer to our PUT or its listing carried no ETag, and the key"
                + " lists an object of the local size with the ETag " + listedETag.orElse("(none)")
                + " and Last-Modified " + listed.lastModified().map(Object::toString).orElse("(none)")
                + " it had before the upload: it may be the object that was there, not ours; kept");
    }

    private static boolean differ(Optional<String> a, Optional<String> b) {
        return a.isPresent() && b.isPresent() && !a.get().equals(b.get());
    }
}

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;
import java.util.Optional;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.LocalDigest;
import org.mediaoffload.pipeline.ObjectStore.StoredChecksum;

/**
 * Whether an object already in the bucket (one we did not upload in this run) holds exactly the local file's bytes.
 * Equal sizes prove nothing: a stale object from an earlier attempt, a pre-copy from another snapshot or a file
 * rewritten since its upload all have the right size. One of three proofs must hold (the README's decision table):
 * our journal's record of an acknowledged upload, a FULL_OBJECT checksum from a store that refuses wrong ones, or a
 * single-part ETag on a store whose probe showed it is the plaintext MD5. Each needs one read of the local file (the
 * store-side facts come with the HEAD already made); without any, the caller uploads the file again.
 */
final class ContentProof {
    enum Kind {
        JOURNAL("our upload journal"),
        CHECKSUM("the store's full-object checksum"),
        ETAG("the ETag, which this store's probe showed is the plaintext MD5");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private final RemoteFiles remote;
    private final LocalStore localStore;

    ContentProof(RemoteFiles remote, LocalStore localStore) {
        this.remote = requireNonNull(remote, "remote is null");
        this.localStore = requireNonNull(localStore, "localStore is null");
    }

    /** How the object is proven to hold the file's bytes; empty when it is not (then upload again). */
    Optional<Kind> prove(LocalFile file, String key, HeadResult.Present head) {
        if (head.size() != file.size()) {
            return Optional.empty();
        }
        Optional<UploadProof> ours = remote.uploadProof(key).filter(p -> sameObject(p, head));
        StoreCapabilities store = remote.capabilities();
        Optional<StoredChecksum> checksum = store.refusesWrongChecksum() ? head.checksum() : Optional.empty();
        Optional<String> md5ETag = store.eTagIsPlaintextMd5()
                ? head.eTag().filter(ContentProof::singlePartMd5)
                : Optional.empty();
        if (ours.isEmpty() && checksum.isEmpty() && md5ETag.isEmpty()) {
            return Optional.empty(); // nothing to compare with: no need to read the file
        }
        LocalDigest local = remote.digest(localStore.uploadFile(file), checksum.map(StoredChecksum::algorithm));
        if (ours.isPresent() && ours.get().md5Hex().equalsIgnoreCase(local.md5Hex())) {
            return Optional.of(Kind.JOURNAL);
        }
        if (checksum.isPresent() && local.checksumBase64().filter(checksum.get().base64()::equals).isPresent()) {
            return Optional.of(Kind.CHECKSUM);
        }
        if (md5ETag.isPresent() && md5ETag.get().equalsIgnoreCase(local.md5Hex())) {
            return Optional.of(Kind.ETAG);
        }
        return Optional.empty();
    }

    /** The object a HEAD sees is the one we uploaded: same ETag, size and Last-Modified (not replaced since). */
    private static boolean sameObject(UploadProof proof, HeadResult.Present head) {
        return proof.size() == head.size()
                && head.eTag().filter(proof.eTag()::equals).isPresent()
                && head.lastModified().filter(proof.lastModified()::equals).isPresent();
    }

    /** 32 hex digits: a multipart ETag ("...-N") is the MD5 of part MD5s, never the file's. */
    private static boolean singlePartMd5(String eTag) {
        return eTag.length() == 32 && eTag.chars().allMatch(HexFormat::isHexDigit);
    }
}

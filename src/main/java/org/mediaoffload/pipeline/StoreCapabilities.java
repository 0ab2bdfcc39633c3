package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * What {@code check-config}'s probes showed about the store, with our settings, recorded in the state directory's
 * settings table for one {@link TargetFingerprint}. Without a recorded probe, neither holds: an existing object is
 * then proven only by our own upload journal, or uploaded again.
 *
 * @param refusesWrongChecksum a PUT with a wrong {@code x-amz-checksum-crc64nvme} was refused, and a right one was
 *                             returned as a FULL_OBJECT checksum by HEAD: the store keeps real checksums
 * @param eTagIsPlaintextMd5   a single-part upload with our SSE-C key got the plaintext's MD5 as its ETag
 * @param verifiesSha256       a PUT with a wrong {@code x-amz-checksum-sha256} header was refused and one with the
 *                             right value accepted: single-part uploads then also send the SHA-256 of their bytes
 *                             (Ceph RGW 16.2 accepts the header but neither checks nor keeps it: false there)
 */
public record StoreCapabilities(boolean refusesWrongChecksum, boolean eTagIsPlaintextMd5, boolean verifiesSha256) {
    public static final StoreCapabilities NONE = new StoreCapabilities(false, false, false);

    private static final String CHECKSUM = "probe.refuses-wrong-checksum.";
    private static final String ETAG = "probe.etag-is-plaintext-md5.";
    private static final String SHA256 = "probe.verifies-sha256.";

    /** Capabilities from a probe that did not look at the SHA-256 header (or a store that does not verify it). */
    public StoreCapabilities(boolean refusesWrongChecksum, boolean eTagIsPlaintextMd5) {
        this(refusesWrongChecksum, eTagIsPlaintextMd5, false);
    }

    /** A probe recorded before the SHA-256 probe existed reads as "not verified" until check-config runs again. */
    public static StoreCapabilities read(OffloadJournal journal, String target) {
        requireNonNull(journal, "journal is null");
        return new StoreCapabilities(journal.setting(CHECKSUM + target).map("true"::equals).orElse(false),
                journal.setting(ETAG + target).map("true"::equals).orElse(false),
                journal.setting(SHA256 + target).map("true"::equals).orElse(false));
    }

    public void write(OffloadJournal journal, String target) {
        journal.putSetting(CHECKSUM + target, Boolean.toString(refusesWrongChecksum));
        journal.putSetting(ETAG + target, Boolean.toString(eTagIsPlaintextMd5));
        journal.putSetting(SHA256 + target, Boolean.toString(verifiesSha256));
    }
}

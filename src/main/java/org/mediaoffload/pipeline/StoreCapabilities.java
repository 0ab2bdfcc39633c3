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
 */
public record StoreCapabilities(boolean refusesWrongChecksum, boolean eTagIsPlaintextMd5) {
    public static final StoreCapabilities NONE = new StoreCapabilities(false, false);

    private static final String CHECKSUM = "probe.refuses-wrong-checksum.";
    private static final String ETAG = "probe.etag-is-plaintext-md5.";

    public static StoreCapabilities read(OffloadJournal journal, String target) {
        requireNonNull(journal, "journal is null");
        return new StoreCapabilities(journal.setting(CHECKSUM + target).map("true"::equals).orElse(false),
                journal.setting(ETAG + target).map("true"::equals).orElse(false));
    }

    public void write(OffloadJournal journal, String target) {
        journal.putSetting(CHECKSUM + target, Boolean.toString(refusesWrongChecksum));
        journal.putSetting(ETAG + target, Boolean.toString(eTagIsPlaintextMd5));
    }
}

package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Synapse's own SHA-256 of an original (Synapse 1.128+) as a proof of its local bytes. Every read that uploads a file
 * or proves an object in the bucket holds it (the same read that computes Content-MD5) feeds the bytes it read into
 * one of these, and calls {@link #check} before the bytes are sent, the upload is completed, or the proof is used.
 * Bytes that differ from what Synapse recorded are a corrupted or replaced local copy: like a truncated original they
 * are neither uploaded (they must not replace a good copy) nor deleted (they may be all that is left).
 *
 * <p>A file without Synapse's hash (a thumbnail, media from before 1.128) costs nothing here.
 */
public final class SynapseHash {
    /** The words every report of a mismatch starts with (log, run errors, journal). */
    public static final String DIFFERS = "content differs from Synapse's sha256";

    private final UploadFile file;
    private final Optional<MessageDigest> digest;
    private Optional<byte[]> value = Optional.empty();

    private SynapseHash(UploadFile file, boolean always) {
        this.file = file;
        this.digest = always || file.sha256().isPresent() ? Optional.of(sha256()) : Optional.empty();
    }

    /** A hash of the bytes about to be read from {@code file}; hashes only when Synapse recorded one for it. */
    public static SynapseHash of(UploadFile file) {
        return new SynapseHash(requireNonNull(file, "file is null"), false);
    }

    /**
     * As {@link #of}, and with {@code always} hashes a file without Synapse's hash too, for an upload that sends the
     * SHA-256 of its bytes to a store that verifies it ({@link #value}).
     */
    public static SynapseHash of(UploadFile file, boolean always) {
        return new SynapseHash(requireNonNull(file, "file is null"), always);
    }

    public void update(byte[] bytes, int offset, int length) {
        digest.ifPresent(d -> d.update(bytes, offset, length));
    }

    /**
     * Call once, after all of the file's bytes were fed in.
     *
     * @throws Mismatch when the bytes read do not hash to Synapse's sha256
     */
    public void check() {
        if (digest.isEmpty()) {
            return;
        }
        byte[] hash = digest.get().digest();
        value = Optional.of(hash);
        if (file.sha256().isEmpty()) {
            return;
        }
        String expected = file.sha256().get();
        String actual = HexFormat.of().formatHex(hash);
        if (!actual.equals(expected)) {
            throw new Mismatch(file.name() + ": " + DIFFERS + " (Synapse recorded " + expected + ", the local file"
                    + " hashes to " + actual + "); neither uploaded nor deleted. Compare the file with the copy"
                    + " your backups hold");
        }
    }

    /** After {@link #check} passed: the SHA-256 of the bytes read, when they were hashed. */
    public Optional<byte[]> value() {
        return value.map(byte[]::clone);
    }

    /**
     * The local bytes are not the content Synapse stored. A local failure (status {@value #LOCAL_STATUS}), never the
     * store's: nothing was left in the bucket (a multipart upload is aborted before this reaches the caller).
     */
    public static final class Mismatch extends ObjectStoreException {
        private static final long serialVersionUID = 1L;
        /** As for other local-file failures: not an HTTP status, so never an outage or a refusal. */
        public static final int LOCAL_STATUS = -1;
        public static final String CODE = "LocalContentDiffersFromSynapse";

        Mismatch(String message) {
            super(message, LOCAL_STATUS, CODE, null);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}

package org.mediaoffload.pipeline;

/** A file's last known state in the journal. */
public enum FileState {
    /** The server acknowledged our bytes (checksum verified). */
    UPLOADED,
    /** The object was confirmed readable with our key and the right size. */
    VERIFIED,
    /** The local copy was removed after verification. */
    DELETED,
    FAILED,
    SKIPPED
}

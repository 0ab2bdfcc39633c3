package org.mediaoffload.store;

/** What {@link LocalFileRemover#delete} did. */
public enum DeleteResult {
    /** Unlinked (empty parent directories pruned). */
    DELETED,
    /** Kept: it is no longer the regular file of the expected size and mtime (Synapse rewrote it?). */
    CHANGED,
    /** It was already gone. */
    GONE
}

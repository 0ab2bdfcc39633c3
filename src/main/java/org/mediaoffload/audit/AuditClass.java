package org.mediaoffload.audit;

/** What the audit found for a key or media; {@link #jsonName()} is its name in reports, metrics and the API. */
public enum AuditClass {
    /** A local row that should have an original (not url_cache, media_length set) with none on disk or in S3. */
    LOST("lost"),
    /** As {@link #LOST} for remote media: Synapse answers 404 for it until the row is purged. */
    LOST_REMOTE("lostRemote"),
    /** An object under a media tree whose media row does not exist. */
    ORPHAN("orphan"),
    /** An original object whose size differs from media_length. */
    SIZE_MISMATCH("sizeMismatch"),
    /** A thumbnail object of an existing media that no thumbnail row names. Reported only. */
    STRAY_THUMBNAIL("strayThumbnail"),
    /** A key under the prefix outside Synapse's four media trees (never touched). */
    FOREIGN("foreign"),
    BOTH_LOCAL_AND_REMOTE("bothLocalAndRemote"),
    S3_ONLY("s3Only"),
    LOCAL_ONLY("localOnly"),
    /** A file in the local store whose media row does not exist (Synapse's side; reported only). */
    LOCAL_WITHOUT_ROW("localWithoutRow"),
    /** Read with our key, but the bytes differ from Synapse's sha256 (or from the MD5 we uploaded). */
    CORRUPT("corrupt"),
    /** The store would not give the bytes with our SSE-C key: Synapse cannot serve them either. */
    UNREADABLE("unreadable"),
    /** Rows and files newer than the audit's start minus the quiet period: not judged. */
    RECENT("recentIgnored");

    private final String jsonName;

    AuditClass(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}

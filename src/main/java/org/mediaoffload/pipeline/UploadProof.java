package org.mediaoffload.pipeline;

import java.time.Instant;

/**
 * What we recorded when we uploaded a key and the store acknowledged our Content-MD5: enough to trust the object
 * later without reading it back, as long as a HEAD still answers this ETag, size and Last-Modified (an object
 * replaced since is not ours) and the local file's MD5 still equals ours (a file rewritten since is not the one we
 * sent).
 *
 * @param target       {@link TargetFingerprint} of the bucket the object was written to
 * @param lastModified whole seconds
 */
public record UploadProof(String key, String target, String md5Hex, String eTag, long size, Instant lastModified) {}

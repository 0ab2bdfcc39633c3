package org.mediaoffload.pipeline;

import java.util.Optional;

/**
 * One journal write: a file reached a state in a run.
 *
 * @param md5Hex MD5 of the bytes sent, when we sent them
 * @param error  the reason, for FAILED and SKIPPED
 */
public record FileEvent(
        long runId,
        String key,
        String relativePath,
        FileState state,
        long size,
        long mtimeMs,
        Optional<String> md5Hex,
        Optional<String> error) {}

package org.mediaoffload.pipeline;

import java.time.Instant;
import java.util.Optional;

/** What the journal last recorded for a key. Advisory: deletion never relies on it alone. */
public record JournalEntry(String key, FileState state, long size, Optional<String> md5Hex, Instant updatedAt) {}

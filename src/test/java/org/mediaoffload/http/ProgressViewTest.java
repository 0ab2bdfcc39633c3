package org.mediaoffload.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mediaoffload.pipeline.LiveProgress;
import org.mediaoffload.pipeline.RunPhase;

class ProgressViewTest {
    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void totalsAreMarkedEstimatedOnlyWhileKnownButNotExact() {
        assertThat(view(100, false).totalsEstimated()).isTrue();
        assertThat(view(100, true).totalsEstimated()).isFalse();
        assertThat(view(-1, false).totalsEstimated()).as("unknown totals are null, not estimates").isFalse();
        assertThat(view(-1, false).filesTotal()).isEmpty();
    }

    private static ProgressView view(long filesTotal, boolean exact) {
        LiveProgress p = new LiveProgress(1, "test", false, RunPhase.TRANSFERRING, START, filesTotal, filesTotal,
                filesTotal * 10, 5, 50, 5, 0, 0, 0, 0, 0, exact);
        return ProgressView.of(p, START.plusSeconds(10));
    }
}

package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations as log lines and summaries print them: never ISO-8601's PT11S. */
class HumanDurationTest {
    @Test
    void readsLikeAPersonWouldWriteIt() {
        assertThat(HumanDuration.format(Duration.ofMillis(400))).isEqualTo("0s");
        assertThat(HumanDuration.format(Duration.ofSeconds(11))).isEqualTo("11s");
        assertThat(HumanDuration.format(Duration.ofSeconds(125))).isEqualTo("2m 05s");
        assertThat(HumanDuration.format(Duration.ofMinutes(62))).isEqualTo("1h 02m");
        assertThat(HumanDuration.format(Duration.ofHours(76))).isEqualTo("3d 4h");
        assertThat(HumanDuration.format(Duration.ofSeconds(-5))).as("a clock step back").isEqualTo("0s");
    }
}

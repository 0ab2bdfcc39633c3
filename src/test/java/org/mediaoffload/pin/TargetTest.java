package org.mediaoffload.pin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TargetTest {
    private static final Target PINNED = new Target("https://s3.example.org:443", "media", "", "MD5 abc=");

    @Test
    void endpointsDifferingOnlyInCaseTrailingSlashOrDefaultPortAreTheSameStore() {
        assertThat(Target.normalise(URI.create("HTTPS://S3.Example.org/"))).isEqualTo("https://s3.example.org:443");
        assertThat(Target.normalise(URI.create("https://s3.example.org:443"))).isEqualTo("https://s3.example.org:443");
        assertThat(Target.normalise(URI.create("http://s3.example.org"))).isEqualTo("http://s3.example.org:80");
        assertThat(Target.normalise(URI.create("https://s3.example.org:9000/gateway/")))
                .isEqualTo("https://s3.example.org:9000");
    }

    @Test
    void differencesNameEachDifferingFieldAndNothingElse() {
        Target moved = new Target("https://s3.example.org:443", "media", "synapse/", "MD5 xyz=");

        assertThat(moved.differencesFrom(PINNED)).containsExactly(
                "prefix (offload.s3.prefix): pinned \"\", now \"synapse/\"",
                "SSE-C key (offload.s3.sse-customer-key, shown as its MD5): pinned MD5 abc=, now MD5 xyz=");
        assertThat(PINNED.differencesFrom(PINNED)).isEmpty();
    }

    @Test
    void thePinSurvivesItsRoundTripThroughTheJournalsSettingsRow() {
        PinnedTarget pin = new PinnedTarget(PINNED, "accept-target", Instant.parse("2026-12-01T09:00:00Z"), true);

        assertThat(TargetPins.decode(TargetPins.encode(pin))).isEqualTo(pin);
    }
}

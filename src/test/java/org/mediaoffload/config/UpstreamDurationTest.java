package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamDurationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"0d, 0", "0s, 0", "90s, 90", "12h, 43200", "30d, 2592000", "1m, 2592000", "2m, 5184000",
            "1y, 31536000", "3y, 94608000"})
    void upstreamUnitsMonthIs30DaysAndYearIs365(String text, long seconds) {
        assertThat(OffloadSettings.parseUpstream(text)).contains(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @CsvSource({"12", "1.5d", "-1d", "1w", "1M", "1D", "d", "''", "10 minutes"})
    void otherTextIsNotUpstreamSyntax(String text) {
        assertThat(OffloadSettings.parseUpstream(text)).isEmpty();
    }

    @Test
    void hoconDurationsAreTheFallback() {
        ConfigFiles files = new ConfigFiles(dir);
        assertThat(files.load(files.required() + "offload.selection.min-age = \"10 minutes\"\n").selection().minAge())
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(files.load(files.required() + "offload.selection.min-age = 1m\n").selection().minAge())
                .as("upstream's month, not HOCON's minute").isEqualTo(Duration.ofDays(30));
        assertThat(files.load(files.required() + "offload.selection.min-age = 0\n").selection().minAge()).isZero();
    }
}

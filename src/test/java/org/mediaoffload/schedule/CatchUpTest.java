package org.mediaoffload.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.time.Instant;
import java.util.Optional;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

class CatchUpTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static CronExpression dailyAtFive() throws ParseException {
        CronExpression cron = new CronExpression("0 0 5 * * ?");
        cron.setTimeZone(TimeZone.getTimeZone("UTC"));
        return cron;
    }

    @Test
    void owesARunWhenTheLastStartIsBeforeTheLatestFiring() throws ParseException {
        assertThat(CatchUp.missed(dailyAtFive(), Optional.of(Instant.parse("2026-11-28T04:59:59Z")), NOW)).isTrue();
        assertThat(CatchUp.missed(dailyAtFive(), Optional.of(Instant.parse("2026-11-20T05:00:00Z")), NOW)).isTrue();
    }

    @Test
    void owesNothingWhenTheLastRunStartedAfterTheLatestFiring() throws ParseException {
        assertThat(CatchUp.missed(dailyAtFive(), Optional.of(Instant.parse("2026-11-28T05:00:00Z")), NOW)).isFalse();
        assertThat(CatchUp.missed(dailyAtFive(), Optional.of(Instant.parse("2026-11-28T11:00:00Z")), NOW)).isFalse();
    }

    @Test
    void owesNothingWithoutAnyPreviousRun() throws ParseException {
        assertThat(CatchUp.missed(dailyAtFive(), Optional.empty(), NOW)).isFalse();
    }
}

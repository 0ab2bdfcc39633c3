package org.mediaoffload.config;

import java.time.Duration;
import java.time.ZoneId;

public record ScheduleConfig(String cron, ZoneId timeZone, boolean catchUp, Duration randomDelay) {}

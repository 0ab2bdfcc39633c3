package org.mediaoffload.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.mediaoffload.config.AuditConfig;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.MetricsConfig;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.ScheduleConfig;
import org.mediaoffload.config.SelectionConfig;

/**
 * {@link OffloadConfig} for tests without its 15-argument constructor: start from a config ({@link #from}, e.g.
 * {@code OffloadHarness.config()}) and change what the test is about, e.g.
 * {@code OffloadConfigBuilder.from(h.config()).http(new HttpConfig(...)).build()}. A component added to
 * OffloadConfig then needs one change here instead of one per test.
 */
public final class OffloadConfigBuilder {
    private Path mediaStorePath;
    private DatabaseConfig database;
    private SelectionConfig selection = new SelectionConfig(Duration.ofDays(1), true, true, Duration.ofMinutes(10));
    private S3Config s3;
    private boolean deleteLocal = true;
    private Path stateDir;
    private Duration maxRunDuration = Duration.ZERO;
    private Duration journalRetention = Duration.ofDays(90);
    private ScheduleConfig schedule = new ScheduleConfig("0 0 5 * * ?", ZoneId.systemDefault(), false, Duration.ZERO);
    private HttpConfig http = new HttpConfig("127.0.0.1", 0, Optional.empty());
    private MetricsConfig metrics = new MetricsConfig("127.0.0.1", -1);
    private Duration shutdownGrace = Duration.ofSeconds(30);
    private Optional<Path> homeserverConfig = Optional.empty();
    private List<String> warnings = List.of();
    private AuditConfig audit = AuditConfig.defaults();

    private OffloadConfigBuilder(Path mediaStorePath, Path stateDir, DatabaseConfig database, S3Config s3) {
        this.mediaStorePath = mediaStorePath;
        this.stateDir = stateDir;
        this.database = database;
        this.s3 = s3;
    }

    /**
     * Files older than a day, remote and quarantined media included, local copies deleted, no run limit; the
     * daily schedule, the admin API on a free loopback port without token, no metrics listener, 30 s grace; no
     * homeserver.yaml; the audit's defaults.
     */
    public static OffloadConfigBuilder forStore(Path mediaStorePath, Path stateDir, DatabaseConfig database,
            S3Config s3) {
        return new OffloadConfigBuilder(mediaStorePath, stateDir, database, s3);
    }

    public static OffloadConfigBuilder from(OffloadConfig c) {
        return forStore(c.mediaStorePath(), c.stateDir(), c.database(), c.s3()).selection(c.selection())
                .deleteLocal(c.deleteLocal()).maxRunDuration(c.maxRunDuration())
                .journalRetention(c.journalRetention()).schedule(c.schedule()).http(c.http()).metrics(c.metrics())
                .shutdownGrace(c.shutdownGrace()).homeserverConfig(c.homeserverConfig()).warnings(c.warnings())
                .audit(c.audit());
    }

    public OffloadConfig build() {
        return new OffloadConfig(mediaStorePath, database, selection, s3, deleteLocal, stateDir, maxRunDuration,
                journalRetention, schedule, http, metrics, shutdownGrace, homeserverConfig, warnings, audit);
    }

    public OffloadConfigBuilder mediaStorePath(Path value) {
        mediaStorePath = value;
        return this;
    }

    public OffloadConfigBuilder database(DatabaseConfig value) {
        database = value;
        return this;
    }

    public OffloadConfigBuilder selection(SelectionConfig value) {
        selection = value;
        return this;
    }

    public OffloadConfigBuilder s3(S3Config value) {
        s3 = value;
        return this;
    }

    public OffloadConfigBuilder deleteLocal(boolean value) {
        deleteLocal = value;
        return this;
    }

    public OffloadConfigBuilder stateDir(Path value) {
        stateDir = value;
        return this;
    }

    public OffloadConfigBuilder maxRunDuration(Duration value) {
        maxRunDuration = value;
        return this;
    }

    public OffloadConfigBuilder journalRetention(Duration value) {
        journalRetention = value;
        return this;
    }

    public OffloadConfigBuilder schedule(ScheduleConfig value) {
        schedule = value;
        return this;
    }

    public OffloadConfigBuilder http(HttpConfig value) {
        http = value;
        return this;
    }

    public OffloadConfigBuilder metrics(MetricsConfig value) {
        metrics = value;
        return this;
    }

    public OffloadConfigBuilder shutdownGrace(Duration value) {
        shutdownGrace = value;
        return this;
    }

    public OffloadConfigBuilder homeserverConfig(Optional<Path> value) {
        homeserverConfig = value;
        return this;
    }

    public OffloadConfigBuilder warnings(List<String> value) {
        warnings = value;
        return this;
    }

    public OffloadConfigBuilder audit(AuditConfig value) {
        audit = value;
        return this;
    }
}

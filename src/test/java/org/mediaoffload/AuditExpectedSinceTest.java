package org.mediaoffload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.audit.AuditJournal;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.testing.OffloadConfigBuilder;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyServer;
import org.mediaoffload.testing.Scrape;

/**
 * The date "no complete audit for 8 days" counts from while no audit has completed: written once in audits.db,
 * kept across restarts and upgrades, and scraped as {@value #GAUGE}.
 */
class AuditExpectedSinceTest {
    private static final String GAUGE = "synapse_media_offload_audit_expected_since_timestamp_seconds";
    private static final String TOKEN = "since-admin-token-0123456789abcdef";
    private static final Instant INSTALLED = Instant.parse("2026-11-02T10:15:30Z");
    private static final Instant RESTARTED = INSTALLED.plus(Duration.ofDays(9));

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theFirstOpenRecordsItAndAReopenKeepsIt() {
        Path stateDir = tmp.resolve("state");
        try (AuditJournal journal = AuditJournal.open(stateDir, Clock.fixed(INSTALLED, ZoneOffset.UTC))) {
            assertThat(journal.expectedSince()).isEqualTo(INSTALLED);
        }
        try (AuditJournal journal = AuditJournal.open(stateDir, Clock.fixed(RESTARTED, ZoneOffset.UTC))) {
            assertThat(journal.expectedSince()).isEqualTo(INSTALLED);
        }
    }

    @Test
    void aJournalOfAnEarlierVersionCountsFromItsFirstAudit() throws Exception {
        Path stateDir = tmp.resolve("state");
        Files.createDirectories(stateDir);
        Instant firstAudit = INSTALLED.minus(Duration.ofDays(30));
        // The audits table as versions before the record wrote it, with two audits that never completed.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve(AuditJournal.FILE_NAME));
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE audits (id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL,"
                    + " started_at INTEGER NOT NULL, ended_at INTEGER, status TEXT NOT NULL, report TEXT)");
            st.execute("INSERT INTO audits (trigger, started_at, status) VALUES ('schedule', "
                    + firstAudit.toEpochMilli() + ", 'ABORTED'), ('schedule', "
                    + firstAudit.plus(Duration.ofDays(7)).toEpochMilli() + ", 'ABORTED')");
        }

        try (AuditJournal journal = AuditJournal.open(stateDir, Clock.fixed(INSTALLED, ZoneOffset.UTC))) {
            assertThat(journal.expectedSince()).isEqualTo(firstAudit);
        }
    }

    @Test
    void theDaemonScrapesTheDateOfItsFirstStartAfterARestart() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start();
                OffloadHarness h = new OffloadHarness(Db.POSTGRES, tmp, server)) {
            OffloadConfig config = OffloadConfigBuilder.from(h.config())
                    .http(new HttpConfig("127.0.0.1", 0, Optional.of(new Secret(TOKEN)))).build();
            try (Daemon daemon = Daemon.start(config, Clock.fixed(INSTALLED, ZoneOffset.UTC))) {
                assertThat(expectedSince(daemon)).isEqualTo(INSTALLED.getEpochSecond());
            }
            try (Daemon daemon = Daemon.start(config, Clock.fixed(RESTARTED, ZoneOffset.UTC))) {
                Scrape scrape = scrape(daemon);
                assertThat(scrape.value(GAUGE)).hasValue(INSTALLED.getEpochSecond());
                // Nothing completed yet: the alert's other arm, at 0, is what makes it count from the date.
                assertThat(scrape.value("synapse_media_offload_audit_last_success_timestamp_seconds")).hasValue(0);
            }
        }
    }

    private double expectedSince(Daemon daemon) throws Exception {
        return scrape(daemon).value(GAUGE).orElseThrow();
    }

    private Scrape scrape(Daemon daemon) throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + daemon.adminPort().getAsInt() + "/metrics");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Scrape.parse(response.body());
    }
}

package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every wait for Synapse's database is bounded: 0 and too-short timeouts are refused, naming the setting. */
class DatabaseTimeoutSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsBoundEveryWait() {
        OffloadConfig config = new ConfigFiles(dir).load(new ConfigFiles(dir).required());

        assertThat(config.database().statementTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.database().loginTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.database().socketTimeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void configuredValuesAreRead() {
        OffloadConfig config = new ConfigFiles(dir).load(new ConfigFiles(dir).required()
                + "offload.database { statement-timeout = 5m, login-timeout = 30s, socket-timeout = 6m }\n");

        assertThat(config.database().statementTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.database().loginTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.database().socketTimeout()).isEqualTo(Duration.ofMinutes(6));
    }

    @Test
    void zeroIsRefusedForEachTimeoutNotReadAsNone() {
        for (String key : List.of("statement-timeout", "login-timeout", "socket-timeout")) {
            assertThat(problems("offload.database." + key + " = 0\n"))
                    .as(key)
                    .anySatisfy(p -> assertThat(p).startsWith("offload.database." + key + " (file ")
                            .contains("= 0 is not allowed")
                            .contains("a database that stops answering hangs the run forever")
                            .contains("Give a duration such as"));
        }
    }

    @Test
    void subSecondClientTimeoutsAreRefusedBecauseTheDriverCountsSeconds() {
        assertThat(problems("offload.database.login-timeout = 500ms\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.database.login-timeout")
                        .contains("= 500ms is shorter than 1s"));
    }

    @Test
    void anUnsetSocketTimeoutFollowsTheStatementTimeout() {
        OffloadConfig config = new ConfigFiles(dir).load(new ConfigFiles(dir).required()
                + "offload.database.statement-timeout = 5m\n");

        assertThat(config.database().socketTimeout()).isEqualTo(Duration.ofMinutes(6));
    }

    @Test
    void theSocketTimeoutMustOutlastTheStatementTimeout() {
        assertThat(problems("offload.database { statement-timeout = 5m, socket-timeout = 2m }\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.database.socket-timeout")
                        .contains("= 120s must be longer than offload.database.statement-timeout = 300s")
                        .contains("raise socket-timeout"));
    }

    @Test
    void aLoginMayNotWaitLongerThanAQuery() {
        assertThat(problems("offload.database { login-timeout = 5m }\n"))
                .anySatisfy(p -> assertThat(p).startsWith("offload.database.login-timeout")
                        .contains("= 300s must not be longer than offload.database.socket-timeout = 120s"));
    }

    private List<String> problems(String extra) {
        ConfigFiles files = new ConfigFiles(dir);
        Path conf = files.conf(files.required() + extra);
        try {
            ConfigLoader.load(ConfigSources.none().withConfig(conf), Map.of());
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("configuration was accepted: " + extra);
    }
}

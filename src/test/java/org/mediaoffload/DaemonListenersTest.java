package org.mediaoffload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.ConfigLoader;
import org.mediaoffload.config.ConfigSources;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyTestBase;

/** The daemon starts its optional listeners only when they are configured. */
class DaemonListenersTest extends S3ProxyTestBase {
    @TempDir
    Path tmp;

    @Test
    void withTheAdminApiOffOnlyTheMetricsListenerServes() throws Exception {
        try (OffloadHarness h = new OffloadHarness(Db.SQLITE, tmp, server)) {
            Path conf = h.writeHoconConfig(tmp.resolve("offload.conf"), 2);
            Files.writeString(conf, "offload.http.port = -1\noffload.metrics.port = 0\n"
                    + "offload.schedule.cron = \"0 0 5 1 1 ? 2099\"\n", StandardOpenOption.APPEND);
            OffloadConfig config = ConfigLoader.load(ConfigSources.none().withConfig(conf), Map.of());

            try (Daemon daemon = Daemon.start(config, Clock.systemUTC())) {
                assertThat(daemon.adminPort()).isEmpty();
                int metricsPort = daemon.metricsPort().orElseThrow();
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body()).contains("synapse_media_offload_");
            }
        }
    }
}

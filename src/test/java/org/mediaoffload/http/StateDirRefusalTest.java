package org.mediaoffload.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.fakes.FakeRunControl;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.StateDirChangedException;

/** A daemon whose state directory changed under it refuses runs with the reason, not an opaque 500. */
class StateDirRefusalTest {
    private static final String TOKEN = "state-dir-refusal-token-0123456789";

    @TempDir
    Path mediaStore;

    @Test
    void startingARunAnswers503WithTheReason() throws Exception {
        FakeRunControl runs = new FakeRunControl(Clock.systemUTC());
        runs.failNextStart(new StateDirChangedException("State directory /var/lib/x: its lock file was deleted"));
        try (OffloadMetrics metrics = OffloadMetrics.create(mediaStore);
                AdminServer server = new AdminServer(new HttpConfig("127.0.0.1", 0, Optional.of(new Secret(TOKEN))),
                        runs, metrics, () -> new StatusInfo(Optional.empty(), "0 0 5 * * ?"), Clock.systemUTC())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/runs"))
                    .header("Authorization", "Bearer " + TOKEN).POST(BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("its lock file was deleted");
            assertThat(runs.starts()).isEmpty();
        }
    }
}

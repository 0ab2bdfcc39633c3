package org.mediaoffload.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.CliProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's "run it" command, as a user runs it ({@code java -jar target/synapse-media-offload-demo.jar}): prints
 * where to look, offloads on request, stops cleanly. An integration test because it needs the packaged jar.
 */
class DemoJarIT {
    @TempDir
    Path tmp;

    @Test
    void demoServesTheStatusPageAndOffloadsTheSampleStore() throws Exception {
        Path jar = Path.of(System.getProperty("offload.demo-jar", "target/synapse-media-offload-demo.jar"));
        CliProcess demo = CliProcess.startJar(tmp, jar, "--port", "0", "--dir", tmp.resolve("demo").toString());
        Pattern banner = Pattern.compile("Status page:\\s+(http://127\\.0\\.0\\.1:(\\d+)/)\\s+Admin token:\\s+(\\w+)");
        Matcher[] found = new Matcher[1];
        await("demo banner").atMost(Duration.ofSeconds(90)).until(() -> {
            Matcher m = banner.matcher(demo.stdout());
            found[0] = m;
            return m.find();
        });
        String base = found[0].group(1);
        String token = found[0].group(3);
        HttpClient http = HttpClient.newHttpClient();

        assertThat(http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString())
                .body()).containsIgnoringCase("<html");
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/runs"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        // 409 when the every-minute schedule got there first: either way a run happens.
        assertThat(started.statusCode()).isIn(202, 409);
        JsonMapper json = JsonMapper.builder().build();
        await("a finished run").atMost(Duration.ofSeconds(90)).until(() -> {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/runs?limit=5")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.contains("\"SUCCEEDED\"");
        });
        JsonNode history = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/runs?limit=5"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(history.toString()).containsPattern("\"filesDeleted\":\\s*[1-9]");

        ProcessHandle.of(demo.pid()).orElseThrow().destroy();
        ProcessHandle.of(demo.pid()).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
        assertThat(demo.await()).as(demo.stderr()).isZero();
    }

    @Test
    void theDemoRemovesTheTemporaryDirectoryItCreated() throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path jar = Path.of(System.getProperty("offload.demo-jar", "target/synapse-media-offload-demo.jar"));
        CliProcess demo = CliProcess.startJar(List.of("-Djava.io.tmpdir=" + javaTmp), tmp, jar, "--port", "0");
        await("demo banner").atMost(Duration.ofSeconds(90)).until(() -> demo.stdout().contains("Sample store:"));
        try (var created = Files.list(javaTmp)) {
            assertThat(created.map(p -> p.getFileName().toString()))
                    .anySatisfy(name -> assertThat(name).startsWith("synapse-media-offload-demo"));
        }

        ProcessHandle.of(demo.pid()).orElseThrow().destroy();
        assertThat(demo.await()).as(demo.stderr()).isZero();
        try (var left = Files.list(javaTmp)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneSatisfy(name -> assertThat(name).startsWith("synapse-media-offload-demo"));
        }
    }
}

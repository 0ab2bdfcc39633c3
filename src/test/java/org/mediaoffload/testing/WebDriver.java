package org.mediaoffload.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Just enough of the W3C WebDriver protocol to drive Debian's chromium through Debian's chromedriver: open a
 * page, find elements by CSS, read text, click, answer a prompt. Nothing is downloaded.
 */
public final class WebDriver implements AutoCloseable {
    private static final String ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process driver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String session;

    public WebDriver(Path chromedriver, Path chromium) throws IOException {
        int port = freePort();
        driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        base = "http://127.0.0.1:" + port;
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> call("GET", "/status", null).path("ready").asBoolean());
            JsonNode created = call("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                    "browserName", "chrome",
                    "unhandledPromptBehavior", "ignore",
                    "goog:chromeOptions", Map.of(
                            "binary", chromium.toString(),
                            "args", List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                                    "--disable-dev-shm-usage", "--no-first-run"))))));
            session = created.get("value").get("sessionId").asString();
        } catch (RuntimeException e) {
            driver.destroyForcibly();
            throw e;
        }
    }

    public void open(String url) {
        session("POST", "/url", Map.of("url", url));
    }

    /** The element's rendered text, "" when the element is missing or hidden. */
    public String text(String css) {
        JsonNode found = session("POST", "/elements", Map.of("using", "css selector", "value", css));
        if (found.isEmpty()) {
            return "";
        }
        JsonNode id = found.get(0).get(ELEMENT_KEY);
        if (id == null) {
            throw new IllegalStateException("unexpected find result for " + css + ": " + found);
        }
        return session("GET", "/element/" + id.asString() + "/text", null).asString();
    }

    /** The element's attribute (e.g. its class), "" when the element or the attribute is missing. */
    public String attribute(String css, String name) {
        JsonNode found = session("POST", "/elements", Map.of("using", "css selector", "value", css));
        if (found.isEmpty()) {
            return "";
        }
        JsonNode value = session("GET", "/element/" + found.get(0).get(ELEMENT_KEY).asString() + "/attribute/" + name,
                null);
        return value == null || value.isNull() ? "" : value.asString();
    }

    public void click(String css) {
        JsonNode element = session("POST", "/element", Map.of("using", "css selector", "value", css));
        session("POST", "/element/" + element.get(ELEMENT_KEY).asString() + "/click", Map.of());
    }

    /** The open prompt's message; throws while there is none (use with Awaitility). */
    public String promptText() {
        return session("GET", "/alert/text", null).asString();
    }

    public void answerPrompt(String answer) {
        session("POST", "/alert/text", Map.of("text", answer));
        session("POST", "/alert/accept", Map.of());
    }

    @Override
    public void close() {
        try {
            session("DELETE", "", null);
        } catch (RuntimeException e) {
            // The browser may be gone already; the driver is stopped below in any case.
        } finally {
            // chromium is chromedriver's child: stop it too, or a failed test leaves a browser behind.
            driver.descendants().forEach(ProcessHandle::destroy);
            driver.destroy();
            try {
                if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private JsonNode session(String method, String path, Object body) {
        return call(method, "/session/" + session + path, body).get("value");
    }

    private JsonNode call(String method, String path, Object body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? BodyPublishers.noBody()
                        : BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        try {
            var response = http.send(request, BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + path + ": " + response.statusCode()
                        + " " + json.path("value").path("error").asString() + ": "
                        + json.path("value").path("message").asString());
            }
            return path.equals("/status") ? json.get("value") : json;
        } catch (IOException e) {
            throw new IllegalStateException("WebDriver " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

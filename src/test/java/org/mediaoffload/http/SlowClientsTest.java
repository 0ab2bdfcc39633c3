package org.mediaoffload.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.HttpConfig;
import org.mediaoffload.config.ScheduleConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.fakes.FakeRunControl;
import org.mediaoffload.metrics.OffloadMetrics;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.schedule.OffloadScheduler;

/**
 * Slow clients (real loopback sockets that send a header line every couple of seconds and never finish their
 * request) must not take the admin API down: health checks, metrics, starting a run and scheduled runs go on.
 */
class SlowClientsTest {
    private static final String TOKEN = "slow-clients-admin-token-0123456789";
    private static final int SLOW_CLIENTS = 50;

    @TempDir
    Path mediaStore;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> slow = new ArrayList<>();
    private final ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger headerLines = new AtomicInteger();
    private FakeRunControl runs;
    private OffloadMetrics metrics;

    @BeforeEach
    void setUp() {
        runs = new FakeRunControl(Clock.systemUTC());
        metrics = OffloadMetrics.create(mediaStore);
        // One more header line for every slow client every 2 s: each keeps its request, and a worker, open.
        dribbler.scheduleWithFixedDelay(this::dribble, 2, 2, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        dribbler.shutdownNow();
        for (Socket s : slow) {
            closeQuietly(s);
        }
        if (runs.running()) {
            runs.finish(RunStatus.SUCCEEDED);
        }
        metrics.close();
    }

    @Test
    void healthMetricsAndStartingARunAnswerWhileFiftySlowClientsHoldConnections() throws Exception {
        try (AdminServer server = new AdminServer(new HttpConfig("127.0.0.1", 0, Optional.of(new Secret(TOKEN))),
                runs, metrics, () -> new StatusInfo(Optional.empty(), "0 0 5 * * ?"), Clock.systemUTC())) {
            openSlowClients(server.port(), SLOW_CLIENTS);
            // Every slow client has sent more than its request line: each now holds a connection mid-request.
            await().atMost(Duration.ofSeconds(30)).until(() -> headerLines.get() >= 2 * SLOW_CLIENTS);

            for (int i = 0; i < 5; i++) {
                assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(200);
                assertThat(get(server.port(), "/metrics").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(uri(server.port(), "/api/v1/runs"))
                    .header("Authorization", "Bearer " + TOKEN).POST(BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString());
            assertThat(started.statusCode()).isEqualTo(202);
            assertThat(runs.starts()).hasSize(1);
            assertThat(openSlowClientCount()).as("the slow clients are still connected").isPositive();
        }
    }

    @Test
    void scheduledRunsStartWhileSlowClientsHoldConnections() throws Exception {
        runs.finishRunsImmediately(true);
        try (AdminServer server = new AdminServer(new HttpConfig("127.0.0.1", 0, Optional.empty()), runs, metrics,
                () -> new StatusInfo(Optional.empty(), "* * * * * ?"), Clock.systemUTC());
                OffloadScheduler scheduler = new OffloadScheduler(
                        new ScheduleConfig("* * * * * ?", ZoneOffset.UTC, false, Duration.ZERO), runs,
                        Optional.empty())) {
            openSlowClients(server.port(), SLOW_CLIENTS);
            await().atMost(Duration.ofSeconds(30)).until(() -> headerLines.get() >= 2 * SLOW_CLIENTS);
            int before = runs.starts().size();

            await().atMost(Duration.ofSeconds(30)).until(() -> runs.starts().size() >= before + 2);
            assertThat(runs.starts()).allSatisfy(s -> assertThat(s.trigger()).isEqualTo("schedule"));
            assertThat(scheduler.nextFireTime()).isPresent();
            assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatNeverFinishesItsRequestIsDisconnected() throws Exception {
        try (AdminServer server = new AdminServer(new HttpConfig("127.0.0.1", 0, Optional.empty()), runs, metrics,
                () -> new StatusInfo(Optional.empty(), "0 0 5 * * ?"), Clock.systemUTC())) {
            openSlowClients(server.port(), 3);

            // Before, a client could hold its worker for as long as it kept sending; now the read limit ends it.
            await().atMost(Listener.READ_LIMIT.plusSeconds(30)).until(() -> openSlowClientCount() == 0);
            assertThat(headerLines.get()).as("they kept sending meanwhile").isPositive();
        }
    }

    @Test
    void connectionsBeyondTheWorkerPoolAreClosedAtOnceNotRunOnTheDispatcher() throws Exception {
        int workers = 8;
        // A read limit far beyond the wait below: what closes the excess connections is the bounded pool.
        Listener listener = new Listener("slow-test", "127.0.0.1", 0, workers,
                List.of(new Router("/healthz").on("GET", new HealthHandler())), Duration.ofMinutes(5),
                Duration.ofMinutes(5));
        try {
            openSlowClients(listener.port(), workers + 10);

            await().atMost(Duration.ofSeconds(60)).until(() -> openSlowClientCount() <= workers);
            assertThat(openSlowClientCount()).isEqualTo(workers);
            // The dispatcher still accepts and hands out connections: once the slow ones go, /healthz answers.
            for (Socket s : slow) {
                closeQuietly(s);
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> get(listener.port(), "/healthz").statusCode() == 200);
        } finally {
            listener.close();
        }
    }

    private void openSlowClients(int port, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(50);
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            synchronized (slow) {
                slow.add(socket);
            }
        }
    }

    private void dribble() {
        List<Socket> sockets;
        synchronized (slow) {
            sockets = List.copyOf(slow);
        }
        for (Socket s : sockets) {
            try {
                OutputStream out = s.getOutputStream();
                out.write(("X-Slow-" + headerLines.incrementAndGet() + ": still typing\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // closed by the server: counted by openSlowClientCount
            }
        }
    }

    /** Slow clients whose connection the server has not closed (a read sees neither EOF nor a reset). */
    private int openSlowClientCount() {
        List<Socket> sockets;
        synchronized (slow) {
            sockets = List.copyOf(slow);
        }
        int open = 0;
        for (Socket s : sockets) {
            try {
                InputStream in = s.getInputStream();
                if (!s.isClosed() && in.read() != -1) {
                    open++; // the server answered something (it never should before the request ends)
                }
            } catch (SocketTimeoutException e) {
                open++; // nothing to read and not closed: still held
            } catch (IOException e) {
                // reset by the server
            }
        }
        return open;
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(5)).build(),
                BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}

package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mediaoffload.testing.SelfSignedCertificate;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * The lean PUTs' HTTP client against real sockets: a scripted HTTP server on loopback that answers each request as
 * a test says (keep-alive, close, chunks, interim answers, stalls), and a TLS one with the test certificate. What
 * it proves is the framing the next request depends on, and that a connection is reused only when that is safe.
 */
class SocketHttpClientTest {
    private final List<ScriptedServer> servers = new CopyOnWriteArrayList<>();
    private SocketHttpClient client;

    @AfterEach
    void close() throws IOException {
        if (client != null) {
            client.close();
        }
        for (ScriptedServer s : servers) {
            s.close();
        }
    }

    @Test
    void keptAliveConnectionCarriesTheNextRequest() throws Exception {
        ScriptedServer server = plain(request -> ok("etag-" + request.body().length, ""));
        client = client(Duration.ofSeconds(2));

        HttpExecuteResponse first = put(server, "/b/k1", "hello");
        assertThat(first.httpResponse().firstMatchingHeader("ETag")).contains("etag-5");
        first.responseBody().orElseThrow().close(); // read to its end: the connection goes back to the pool
        HttpExecuteResponse second = put(server, "/b/k2", "hello world");
        assertThat(second.httpResponse().firstMatchingHeader("ETag")).contains("etag-11");
        second.responseBody().orElseThrow().close();

        assertThat(server.accepted()).hasValue(1);
        assertThat(server.requests()).extracting(Request::line)
                .containsExactly("PUT /b/k1 HTTP/1.1", "PUT /b/k2 HTTP/1.1");
        assertThat(server.requests().get(0).headers())
                .contains("Content-Length: 5", "x-test: yes", "Host: 127.0.0.1:" + server.port());
        assertThat(new String(server.requests().get(1).body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void connectionCloseOrAnUnreadBodyMeansANewConnection() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ScriptedServer server = plain(request -> switch (n.incrementAndGet()) {
            case 1 -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
            case 2 -> "HTTP/1.1 500 Internal\r\nContent-Length: 10\r\n\r\n0123456789";
            default -> ok("e", "");
        });
        client = client(Duration.ofSeconds(2));

        put(server, "/b/a", "x").responseBody().orElseThrow().close();
        HttpExecuteResponse error = put(server, "/b/b", "x");
        assertThat(error.httpResponse().statusCode()).isEqualTo(500);
        try (InputStream body = error.responseBody().orElseThrow()) {
            assertThat(body.readNBytes(4)).isEqualTo("0123".getBytes(StandardCharsets.US_ASCII)); // not to the end
        }
        put(server, "/b/c", "x").responseBody().orElseThrow().close();

        assertThat(server.accepted()).hasValue(3);
    }

    @Test
    void chunkedAnswersAndInterimAnswersAreReadToTheirEnd() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ScriptedServer server = plain(request -> n.incrementAndGet() == 1
                ? "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;ext=1\r\n<Erro\r\n10\r\nr>AccessDenied</\r\n6\r\nError>\r\n0\r\nX-Trailer: t\r\n\r\n"
                : ok("second", ""));
        client = client(Duration.ofSeconds(2));

        HttpExecuteResponse denied = put(server, "/b/k", "data");
        assertThat(denied.httpResponse().statusCode()).isEqualTo(403);
        assertThat(read(denied)).isEqualTo("<Error>AccessDenied</Error>");
        assertThat(put(server, "/b/k", "data").httpResponse().firstMatchingHeader("ETag")).contains("second");

        assertThat(server.accepted()).hasValue(1);
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
        CountDownLatch closedByServer = new CountDownLatch(1);
        ScriptedServer server = plain(request -> ok("e", ""));
        server.closeAfterEachAnswer(closedByServer);
        // Checked before every reuse (no idle time is short enough to skip the check).
        client = new SocketHttpClient(SSLContext.getDefault().getSocketFactory(), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 8, Duration.ZERO);

        put(server, "/b/1", "x").responseBody().orElseThrow().close();
        assertThat(closedByServer.await(10, TimeUnit.SECONDS)).isTrue();
        put(server, "/b/2", "x").responseBody().orElseThrow().close();

        assertThat(server.accepted()).hasValue(2);
    }

    @Test
    void aBodyShorterThanItsLengthFailsAndIsNotSentAsARequest() throws Exception {
        ScriptedServer server = plain(request -> ok("e", ""));
        client = client(Duration.ofSeconds(2));
        SdkHttpFullRequest request = request(server, "/b/short", 10);

        assertThatThrownBy(() -> client.prepareRequest(HttpExecuteRequest.builder().request(request)
                        .contentStreamProvider(() -> new ByteArrayInputStream(new byte[4])).build()).call())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("before its Content-Length");
        put(server, "/b/next", "x").responseBody().orElseThrow().close();

        // The cut request's connection was closed, not reused for the next one.
        assertThat(server.accepted()).hasValue(2);
        assertThat(server.requests()).extracting(Request::line).containsExactly("PUT /b/next HTTP/1.1");
    }

    @Test
    void bytesAfterAnAnswerAreNeverReadAsTheNextRequestsAnswer() throws Exception {
        // A server that sends more than the response it framed (a second answer, a body on a 204): those bytes
        // are no answer to the next request, even when it comes at once (before any idle check would run).
        AtomicInteger n = new AtomicInteger();
        ScriptedServer server = plain(request -> n.incrementAndGet() == 1
                ? ok("first", "") + ok("stray", "")
                : ok("second", ""));
        client = client(Duration.ofSeconds(2));

        HttpExecuteResponse first = put(server, "/b/1", "x");
        assertThat(first.httpResponse().firstMatchingHeader("ETag")).contains("first");
        first.responseBody().orElseThrow().close();
        HttpExecuteResponse second = put(server, "/b/2", "x");

        assertThat(second.httpResponse().firstMatchingHeader("ETag")).contains("second");
        second.responseBody().orElseThrow().close();
        assertThat(server.accepted()).hasValue(2);
    }

    @Test
    void aSuccessAnsweredBeforeTheBodyWasSentIsNotReportedAsSuccess() throws Exception {
        // The server answers 200 after the head and closes without reading the body: the body could not be sent,
        // so the 200 cannot be this PUT's success (an early refusal, by contrast, is reported as the answer).
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serverThread = new Thread(() -> {
                try (Socket s = socket.accept(); InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream()) {
                    for (String h = ScriptedServer.line(in); h != null && !h.isEmpty(); h = ScriptedServer.line(in)) {
                        // the head only
                    }
                    out.write(ok("early", "").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // the client went away
                }
            }, "early-answer");
            serverThread.setDaemon(true);
            serverThread.start();
            client = client(Duration.ofSeconds(10));
            long length = 1L << 32;
            SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).protocol("http")
                    .host("127.0.0.1").port(socket.getLocalPort()).encodedPath("/b/big")
                    .putHeader("Content-Length", Long.toString(length)).build();
            ContentStreamProvider zeros = () -> new InputStream() {
                @Override
                public int read() {
                    return 0;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    java.util.Arrays.fill(b, off, off + len, (byte) 0);
                    return len;
                }
            };

            assertThatThrownBy(() -> client.prepareRequest(HttpExecuteRequest.builder().request(request)
                    .contentStreamProvider(zeros).build()).call())
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void abortingAClosedAnswersBodyLeavesItsPooledConnectionAlone() throws Exception {
        ScriptedServer server = plain(request -> ok("e" + request.line().length(), ""));
        client = client(Duration.ofSeconds(2));

        HttpExecuteResponse first = put(server, "/b/1", "x");
        first.responseBody().orElseThrow().close(); // read to its end: the connection is back in the pool
        first.responseBody().orElseThrow().abort(); // late: the connection is no longer this answer's

        HttpExecuteResponse second = put(server, "/b/2", "x");
        assertThat(second.httpResponse().statusCode()).isEqualTo(200);
        second.responseBody().orElseThrow().close();
        assertThat(server.accepted()).hasValue(1);
    }

    @Test
    void aCloseInAnyConnectionHeaderEndsTheConnection() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ScriptedServer server = plain(request -> n.incrementAndGet() == 1
                ? "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: TE, Close\r\nContent-Length: 0\r\n\r\n"
                : n.get() == 2
                        ? "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"
                        : ok("e", ""));
        client = client(Duration.ofSeconds(2));

        put(server, "/b/1", "x").responseBody().orElseThrow().close();
        put(server, "/b/2", "x").responseBody().orElseThrow().close();
        put(server, "/b/3", "x").responseBody().orElseThrow().close();

        // The first said close in its second Connection header; the HTTP/1.0 one kept its connection alive.
        assertThat(server.accepted()).hasValue(2);
    }

    @Test
    void aRequestFramedBothByLengthAndByChunksIsRefused() throws Exception {
        ScriptedServer server = plain(request -> ok("e", ""));
        client = client(Duration.ofSeconds(2));
        SdkHttpFullRequest request = request(server, "/b/both", 1).toBuilder()
                .putHeader("Transfer-Encoding", "chunked").build();

        assertThatThrownBy(() -> client.prepareRequest(HttpExecuteRequest.builder().request(request)
                        .contentStreamProvider(() -> new ByteArrayInputStream(new byte[1])).build()).call())
                .isInstanceOf(IllegalArgumentException.class);
        put(server, "/b/next", "x").responseBody().orElseThrow().close();

        assertThat(server.requests()).extracting(Request::line).containsExactly("PUT /b/next HTTP/1.1");
    }

    @Test
    void abortEndsAStalledAnswerAtOnce() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ScriptedServer server = plain(request -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok("late", "");
        });
        client = client(Duration.ofMinutes(5));
        var call = client.prepareRequest(HttpExecuteRequest.builder().request(request(server, "/b/k", 1))
                .contentStreamProvider(() -> new ByteArrayInputStream(new byte[1])).build());
        CompletableFuture<Object> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (IOException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() == 1);

        call.abort();

        assertThat(answer.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        never.countDown();
    }

    @Test
    void anIpv6LiteralIsConnectedToWithoutItsBrackets() throws Exception {
        ServerSocket socket;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getByName("::1"));
        } catch (IOException noIpv6) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + noIpv6.getMessage());
            return;
        }
        ScriptedServer server = new ScriptedServer(socket, request -> ok("v6", ""));
        servers.add(server);
        client = client(Duration.ofSeconds(2));
        SdkHttpFullRequest request = request(server, "/b/k", 1).toBuilder().host("[::1]").build();

        HttpExecuteResponse answer = client.prepareRequest(HttpExecuteRequest.builder().request(request)
                .contentStreamProvider(() -> new ByteArrayInputStream(new byte[1])).build()).call();

        assertThat(answer.httpResponse().firstMatchingHeader("ETag")).contains("v6");
        assertThat(server.requests().get(0).headers()).contains("Host: [::1]:" + server.port());
    }

    @Test
    void headersThatWouldAddALineAreRefused() throws Exception {
        ScriptedServer server = plain(request -> ok("e", ""));
        client = client(Duration.ofSeconds(2));
        SdkHttpFullRequest injected = request(server, "/b/k", 1).toBuilder()
                .putHeader("x-amz-meta-a", "v\r\nx-amz-acl: public-read").build();

        assertThatThrownBy(() -> client.prepareRequest(HttpExecuteRequest.builder().request(injected)
                        .contentStreamProvider(() -> new ByteArrayInputStream(new byte[1])).build()).call())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x-amz-meta-a");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void tlsChecksTheCertificateAgainstTheHostName() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.get(); // localhost and 127.0.0.1
        TrustManager[] trust = PemTrustManagers.fromPemFile(cert.pem());
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust, null);
        // Every reuse checked first: the check's 1 ms read must leave a TLS connection usable.
        client = new SocketHttpClient(trusting.getSocketFactory(), Duration.ofSeconds(2), Duration.ofSeconds(5), 8,
                Duration.ZERO);
        ScriptedServer named = tls(cert, "127.0.0.1", request -> ok("tls", ""));
        ScriptedServer other = tls(cert, "127.0.0.2", request -> ok("tls", ""));

        for (int i = 0; i < 3; i++) {
            HttpExecuteResponse ok = client.prepareRequest(HttpExecuteRequest.builder()
                    .request(request(named, "/b/k" + i, 2).toBuilder().protocol("https").build())
                    .contentStreamProvider(() -> new ByteArrayInputStream(new byte[2])).build()).call();
            assertThat(ok.httpResponse().firstMatchingHeader("ETag")).contains("tls");
            ok.responseBody().orElseThrow().close();
        }
        assertThat(named.accepted()).hasValue(1);

        // The same trusted certificate at an address it does not name: refused before any request is sent.
        assertThatThrownBy(() -> client.prepareRequest(HttpExecuteRequest.builder()
                        .request(request(other, "/b/k", 2).toBuilder().protocol("https").build())
                        .contentStreamProvider(() -> new ByteArrayInputStream(new byte[2])).build()).call())
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(other.requests()).isEmpty();
    }

    @Test
    void proxySettingsAreSeenInTheEnvironmentAndTheProperties() {
        java.util.Properties none = new java.util.Properties();
        java.util.Properties property = new java.util.Properties();
        property.setProperty("https.proxyHost", "proxy.example");

        assertThat(S3ClientFactory.proxyConfigured(Map.of(), none)).isFalse();
        assertThat(S3ClientFactory.proxyConfigured(Map.of("HTTPS_PROXY", " "), none)).isFalse();
        assertThat(S3ClientFactory.proxyConfigured(Map.of("https_proxy", "http://p:3128"), none)).isTrue();
        assertThat(S3ClientFactory.proxyConfigured(Map.of("HTTP_PROXY", "http://p:3128"), none)).isTrue();
        assertThat(S3ClientFactory.proxyConfigured(Map.of(), property)).isTrue();
    }

    // --- helpers

    private SocketHttpClient client(Duration readTimeout) throws Exception {
        return new SocketHttpClient(SSLContext.getDefault().getSocketFactory(), Duration.ofSeconds(2), readTimeout,
                8);
    }

    private HttpExecuteResponse put(ScriptedServer server, String path, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ContentStreamProvider content = () -> new ByteArrayInputStream(bytes);
        return client.prepareRequest(HttpExecuteRequest.builder().request(request(server, path, bytes.length))
                .contentStreamProvider(content).build()).call();
    }

    private static SdkHttpFullRequest request(ScriptedServer server, String path, long length) {
        return SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).protocol("http").host(server.address())
                .port(server.port()).encodedPath(path)
                .putHeader("Content-Length", Long.toString(length)).putHeader("x-test", "yes").build();
    }

    private static String read(HttpExecuteResponse response) throws IOException {
        try (InputStream in = response.responseBody().orElseThrow()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String ok(String etag, String body) {
        return "HTTP/1.1 200 OK\r\nETag: " + etag + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private ScriptedServer plain(Function<Request, String> answers) throws IOException {
        ScriptedServer s = new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answers);
        servers.add(s);
        return s;
    }

    private ScriptedServer tls(SelfSignedCertificate cert, String address, Function<Request, String> answers)
            throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(cert.keystore())) {
            keys.load(in, cert.password().toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, cert.password().toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        ScriptedServer s = new ScriptedServer(socket, answers);
        servers.add(s);
        return s;
    }

    record Request(String line, List<String> headers, byte[] body) {}

    /** Reads each request (head, then its Content-Length of body) and writes the script's answer bytes. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Function<Request, String> answers;
        private final AtomicInteger accepted = new AtomicInteger();
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch closeAfterAnswer;

        ScriptedServer(ServerSocket socket, Function<Request, String> answers) {
            this.socket = socket;
            this.answers = answers;
            Thread acceptor = new Thread(this::accept, "scripted-http-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        void closeAfterEachAnswer(CountDownLatch closed) {
            this.closeAfterAnswer = closed;
        }

        int port() {
            return socket.getLocalPort();
        }

        String address() {
            return socket.getInetAddress().getHostAddress();
        }

        AtomicInteger accepted() {
            return accepted;
        }

        List<Request> requests() {
            return requests;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    accepted.incrementAndGet();
                    open.add(s);
                    Thread t = new Thread(() -> serve(s), "scripted-http-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String line = line(in);
                    if (line == null) {
                        return;
                    }
                    List<String> headers = new java.util.ArrayList<>();
                    long length = 0;
                    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                        headers.add(h);
                        if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Long.parseLong(h.substring(15).trim());
                        }
                    }
                    byte[] body = in.readNBytes((int) length);
                    if (body.length < length) {
                        return; // the client cut the request short
                    }
                    Request request = new Request(line, List.copyOf(headers), body);
                    requests.add(request);
                    out.write(answers.apply(request).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    CountDownLatch close = closeAfterAnswer;
                    if (close != null) {
                        s.close();
                        close.countDown();
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}

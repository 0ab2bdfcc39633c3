package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.mediaoffload.config.S3Config;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP client of the lean PutObjects ({@link LeanPut}): HTTP/1.1 on kept-alive sockets from the JDK, plain or
 * TLS, behind the SDK's own {@link SdkHttpClient} interface. A fresh JVM spends most of a small PUT's CPU in the code
 * between the request and the socket, which it runs interpreted or C1-compiled for the whole of a short run; this
 * client is a small fraction of the Apache client's code on that path (docs/benchmarks.md, "The floor of a fresh
 * JVM" and "A socket HTTP client for the PUTs"). Everything else (listings, HEADs, multipart, probes) stays on the
 * SDK's Apache client, and so do the PUTs when a proxy is configured (this client has no proxy support).
 *
 * <p>What it does as the Apache client does: TLS with the same trust (the CA bundle, else the JVM's), the server's
 * certificate checked against the host name, TCP no-delay and keep-alive, the connect timeout, a read timeout of one
 * request timeout, no {@code Expect: 100-continue}, connections kept for reuse only after a response read to its
 * last byte without {@code Connection: close}, and a pooled connection idle for a while checked before reuse.
 */
final class SocketHttpClient implements SdkHttpClient {
    /** A pooled connection idle longer than this is checked for a close by the server before it is reused. */
    private static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(2);
    /** A pooled connection idle longer than this is closed (servers close idle keep-alive connections too). */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How long a request whose body could not be written waits for the server's early answer. */
    private static final int EARLY_ANSWER_MILLIS = 2_000;

    private final SSLSocketFactory tls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxIdlePerHost;
    private final long checkAfterIdleNanos;
    private final Map<String, Deque<Http1Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SocketHttpClient(SSLSocketFactory tls, Duration connectTimeout, Duration readTimeout, int maxIdlePerHost) {
        this(tls, connectTimeout, readTimeout, maxIdlePerHost, CHECK_AFTER_IDLE);
    }

    /** With the idle time after which a pooled connection is checked before reuse (tests: zero, always). */
    SocketHttpClient(SSLSocketFactory tls, Duration connectTimeout, Duration readTimeout, int maxIdlePerHost,
            Duration checkAfterIdle) {
        this.checkAfterIdleNanos = checkAfterIdle.toNanos();
        this.tls = requireNonNull(tls, "tls is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.readTimeout = requireNonNull(readTimeout, "readTimeout is null");
        this.maxIdlePerHost = maxIdlePerHost;
    }

    /**
     * With the trust, the timeouts and the pool size the Apache client of {@link S3ClientFactory} gets.
     *
     * @throws IllegalArgumentException naming offload.s3.ca-bundle when it is unusable
     */
    static SocketHttpClient create(S3Config config, Duration connectTimeout, int connections) {
        SSLSocketFactory tls;
        try {
            if (config.caBundle().isPresent()) {
                TrustManager[] trust = PemTrustManagers.fromPemFile(config.caBundle().get());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust, null);
                tls = context.getSocketFactory();
            } else {
                tls = SSLContext.getDefault().getSocketFactory();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
        return new SocketHttpClient(tls, connectTimeout, config.requestTimeout(), connections);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new Call(requireNonNull(request, "request is null"));
    }

    @Override
    public String clientName() {
        return "SocketHttp1";
    }

    /** Closes the idle connections; responses being read keep theirs until they are closed. */
    @Override
    public void close() {
        closed = true;
        for (Deque<Http1Connection> connections : idle.values()) {
            for (Http1Connection c; (c = connections.pollFirst()) != null; ) {
                quietly(c);
            }
        }
    }

    private Http1Connection connection(SdkHttpRequest r) throws IOException {
        if (closed) {
            throw new IOException("the HTTP client is closed");
        }
        Deque<Http1Connection> pool = idle.get(poolKey(r));
        if (pool != null) {
            long now = System.nanoTime();
            for (Http1Connection c; (c = pool.pollFirst()) != null; ) {
                long idleFor = now - c.idleSince();
                if (!c.isClosed() && !c.hasUnreadBytes()
                        && (idleFor < checkAfterIdleNanos || (idleFor < MAX_IDLE_NANOS && c.stillOpen()))) {
                    return c;
                }
                quietly(c);
            }
        }
        boolean https = "https".equalsIgnoreCase(r.protocol());
        return Http1Connection.open(r.host(), r.port(), https ? Optional.of(tls) : Optional.empty(),
                connectTimeout, readTimeout);
    }

    private void release(SdkHttpRequest r, Http1Connection c) {
        Deque<Http1Connection> pool = idle.computeIfAbsent(poolKey(r), k -> new ConcurrentLinkedDeque<>());
        c.idleFrom(System.nanoTime());
        pool.offerFirst(c);
        // The most recently used stay (they are the warmest); the pool never holds more than a request burst needs.
        while (pool.size() > maxIdlePerHost) {
            Http1Connection extra = pool.pollLast();
            if (extra == null) {
                break;
            }
            quietly(extra);
        }
        if (closed) {
            close();
        }
    }

    private static String poolKey(SdkHttpRequest r) {
        return r.protocol() + "://" + r.host() + ":" + r.port();
    }

    private static void quietly(Http1Connection c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // an idle or failed connection being dropped: nothing is waiting for it
        }
    }

    /** One request: sent on a pooled or new connection; its answer's body hands the connection back when read. */
    private final class Call implements ExecutableHttpRequest {
        private final HttpExecuteRequest request;
        /** The connection while this call owns it: from the request until its answer is closed or aborted. */
        private Http1Connection connection;
        private boolean aborted;

        Call(HttpExecuteRequest request) {
            this.request = request;
        }

        @Override
        public HttpExecuteResponse call() throws IOException {
            SdkHttpRequest r = request.httpRequest();
            Http1Connection c = connection(r);
            synchronized (this) {
                if (aborted) {
                    quietly(c);
                    throw new IOException("the request was aborted");
                }
                connection = c;
            }
            try {
                return exchange(r, c);
            } catch (IOException | RuntimeException e) {
                quietly(c);
                throw e;
            }
        }

        private HttpExecuteResponse exchange(SdkHttpRequest r, Http1Connection c) throws IOException {
            Map<String, List<String>> headers = r.headers();
            long length = length(headers);
            boolean reusable = true;
            IOException unsent = null;
            Optional<ContentStreamProvider> provider = request.contentStreamProvider();
            try (InputStream body = provider.isPresent() && length != 0 ? provider.get().newStream() : null) {
                c.send(r.method().name(), target(r), withUserAgent(headers), body, body == null ? 0 : length);
            } catch (Http1Connection.BodyFailure e) {
                throw e.reason(); // the body's own failure, as its stream reported it; the connection is closed
            } catch (IOException writeFailure) {
                // A server may answer (403, 400, 413) and close before it has read the whole body: its answer says
                // more than the broken pipe does. The connection is not reused either way.
                reusable = false;
                if (!earlyAnswer(c)) {
                    throw writeFailure;
                }
                unsent = writeFailure;
            }
            Http1Connection.Head head = c.readHead();
            if (unsent != null && head.status() < 300) {
                // Only a refusal explains a body the server did not take; a success for a body that was not all
                // sent cannot be the answer to this request, and must not be reported as the PUT's success.
                throw unsent;
            }
            FramedBody framed = c.body(head, r.method() == SdkHttpMethod.HEAD);
            boolean keep = reusable && Http1Connection.keepsAlive(head);
            SdkHttpResponse.Builder response = SdkHttpResponse.builder()
                    .statusCode(head.status())
                    .statusText(head.reason());
            head.headers().forEach(response::putHeader);
            InputStream returning = new Returning(this, framed, r, c, keep);
            // Aborting the body is aborting the call: it closes the connection only while this call still owns
            // it, not after the body was closed and the connection went back to the pool for another request.
            return HttpExecuteResponse.builder()
                    .response(response.build())
                    .responseBody(AbortableInputStream.create(returning, this::abort))
                    .build();
        }

        private boolean earlyAnswer(Http1Connection c) {
            try {
                return c.answersWithin(EARLY_ANSWER_MILLIS);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /**
         * Closes the connection if this call still owns it. An abort after the answer was closed (an attempt timer
         * that fired late) must not close a connection that went back to the pool and now carries another request.
         */
        @Override
        public void abort() {
            Http1Connection c;
            synchronized (this) {
                aborted = true;
                c = connection;
                connection = null;
            }
            if (c != null) {
                quietly(c);
            }
        }

        /** The answer was closed: the connection is no longer this call's. @return false when it was aborted */
        synchronized boolean handBack() {
            connection = null;
            return !aborted;
        }
    }

    /** Content-Length when given, -1 for a chunked request body, 0 without a body. */
    private static long length(Map<String, List<String>> headers) {
        List<String> lengths = headers.get("Content-Length");
        if (lengths != null && !lengths.isEmpty() && headers.containsKey("Transfer-Encoding")) {
            // A server frames such a request by its chunks (RFC 9112 6.3), this client would by its length: the two
            // would disagree on where the next request starts. The Apache client refuses it too.
            throw new IllegalArgumentException("a request with both Content-Length and Transfer-Encoding");
        }
        if (lengths != null && !lengths.isEmpty()) {
            return Long.parseLong(lengths.get(0).trim());
        }
        List<String> coding = headers.get("Transfer-Encoding");
        if (coding != null && coding.stream().anyMatch(v -> v.trim().equalsIgnoreCase("chunked"))) {
            return -1;
        }
        return 0;
    }

    private static Map<String, List<String>> withUserAgent(Map<String, List<String>> headers) {
        if (headers.containsKey("User-Agent")) {
            return headers;
        }
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        all.put("User-Agent", List.of("synapse-media-offload"));
        return all;
    }

    /** The request target: the encoded path as signed ("/" when empty) and the encoded query. */
    private static String target(SdkHttpRequest r) {
        String path = r.encodedPath();
        String target = path == null || path.isEmpty() ? "/" : path;
        return r.encodedQueryParameters().map(q -> target + "?" + q).orElse(target);
    }

    /** A response body that gives its connection back to the pool when it was read to the end and may be kept. */
    private final class Returning extends FilterInputStream {
        private final Call call;
        private final FramedBody framed;
        private final SdkHttpRequest request;
        private final Http1Connection connection;
        private final boolean keep;
        private boolean done;

        Returning(Call call, FramedBody framed, SdkHttpRequest request, Http1Connection connection, boolean keep) {
            super(framed);
            this.call = call;
            this.framed = framed;
            this.request = request;
            this.connection = connection;
            this.keep = keep;
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            if (call.handBack() && keep && framed.complete() && !connection.isClosed()) {
                release(request, connection);
            } else {
                quietly(connection);
            }
        }
    }
}

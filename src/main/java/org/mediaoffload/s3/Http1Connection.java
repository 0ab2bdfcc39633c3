package org.mediaoffload.s3;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection (plain or TLS) that sends a request with a body of known framing and reads one response
 * at a time, for {@link SocketHttpClient}. It frames bodies exactly: a request body must give as many bytes as its
 * Content-Length says, and a response body is read by its Content-Length or chunks, so that the next request on the
 * connection starts where the last response ended. Anything it cannot frame closes the connection.
 */
final class Http1Connection implements Closeable {
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 256;
    private static final int BUFFER = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String authority;
    private volatile boolean closed;
    /** When the connection went back to its pool (System.nanoTime). */
    private long idleSince;

    private Http1Connection(Socket socket, String authority) throws IOException {
        this.socket = socket;
        this.authority = authority;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
    }

    /**
     * Connects to {@code host:port}, over TLS when {@code tls} is given; the server's certificate must name
     * {@code host} (the same check as the SDK's Apache client: HTTPS endpoint identification).
     */
    static Http1Connection open(String host, int port, Optional<SSLSocketFactory> tls, Duration connectTimeout,
            Duration readTimeout) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.setKeepAlive(true);
            // An IPv6 literal comes bracketed, as it is written in a URL and in the Host header.
            String address = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            raw.connect(new InetSocketAddress(address, port), Math.toIntExact(connectTimeout.toMillis()));
            raw.setSoTimeout(Math.toIntExact(Math.min(readTimeout.toMillis(), Integer.MAX_VALUE)));
            Socket socket = raw;
            if (tls.isPresent()) {
                SSLSocket ssl = (SSLSocket) tls.get().createSocket(raw, address, port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
                socket = ssl;
            }
            String authority = port == (tls.isPresent() ? 443 : 80) ? host : host + ":" + port;
            return new Http1Connection(socket, authority);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The response head: status, reason and headers (names as sent, looked up without case). */
    record Head(int status, String reason, boolean http11, Map<String, List<String>> headers) {
        Optional<String> first(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    /**
     * Writes the request line, the headers (a Host header is added when absent) and {@code contentLength} bytes of
     * {@code body} ({@code -1}: chunked, {@code 0} with a null body: none).
     *
     * @throws IOException also when the body gives fewer or more bytes than its length: the request is then cut
     *     short on the wire, and the connection must be closed
     */
    void send(String method, String target, Map<String, List<String>> headers, InputStream body, long contentLength)
            throws IOException {
        StringBuilder head = new StringBuilder(512);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            String name = h.getKey();
            checkToken(name);
            host |= name.equalsIgnoreCase("Host");
            for (String value : h.getValue()) {
                checkValue(name, value);
                head.append(name).append(": ").append(value).append("\r\n");
            }
        }
        if (!host) {
            head.append("Host: ").append(authority).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            if (contentLength < 0) {
                writeChunked(body);
            } else {
                writeExactly(body, contentLength);
            }
        }
        out.flush();
    }

    /**
     * The request body (not the connection) failed: its stream threw (the cause, e.g. a local file that changed
     * while it was sent) or gave another number of bytes than the request announced.
     */
    static final class BodyFailure extends IOException {
        private static final long serialVersionUID = 1L;

        BodyFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        /** What the body's stream threw, or what was wrong with its length. */
        IOException reason() {
            return (IOException) getCause();
        }
    }

    private static int read(InputStream body, byte[] buffer, int length) throws BodyFailure {
        try {
            return body.read(buffer, 0, length);
        } catch (IOException e) {
            throw new BodyFailure(e);
        }
    }

    private void writeExactly(InputStream body, long length) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int n = read(body, buffer, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new BodyFailure(new EOFException("the request body ended " + left
                        + " bytes before its Content-Length"));
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        if (read(body, buffer, 1) >= 0) {
            throw new BodyFailure(new IOException("the request body is longer than its Content-Length " + length));
        }
    }

    private void writeChunked(InputStream body) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = read(body, buffer, buffer.length)) >= 0) {
            if (n > 0) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(buffer, 0, n);
                out.write('\r');
                out.write('\n');
            }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads the next final response's head, skipping interim (1xx) answers. */
    Head readHead() throws IOException {
        while (true) {
            String status = readLine(true);
            if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x status line: " + printable(status));
            }
            int code;
            try {
                code = Integer.parseInt(status.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status code: " + printable(status), e);
            }
            String reason = status.length() > 13 ? status.substring(13) : "";
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            int count = 0;
            for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
                if (++count > MAX_HEADERS) {
                    throw new IOException("more than " + MAX_HEADERS + " response headers");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("not a header line: " + printable(line));
                }
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>(1))
                        .add(line.substring(colon + 1).trim());
            }
            if (code >= 100 && code < 200) {
                if (code == 101) {
                    throw new IOException("the server switched protocols (101), which no S3 request asks for");
                }
                continue;
            }
            return new Head(code, reason, status.startsWith("HTTP/1.1"), headers);
        }
    }

    /**
     * The body of the response whose head was just read: by chunks, by Content-Length, or (neither) up to the end of
     * the connection; none for a HEAD request or a 204/304.
     */
    FramedBody body(Head head, boolean headRequest) throws IOException {
        if (headRequest || head.status() == 204 || head.status() == 304) {
            return FramedBody.fixed(in, 0);
        }
        Optional<String> coding = head.first("Transfer-Encoding");
        if (coding.isPresent()) {
            if (!coding.get().toLowerCase(Locale.ROOT).endsWith("chunked")) {
                throw new IOException("unsupported Transfer-Encoding: " + printable(coding.get()));
            }
            return FramedBody.chunked(in);
        }
        List<String> lengths = head.headers().getOrDefault("Content-Length", List.of());
        if (lengths.isEmpty()) {
            return FramedBody.toEnd(in);
        }
        long length;
        try {
            length = Long.parseLong(lengths.get(0));
        } catch (NumberFormatException e) {
            throw new IOException("not a Content-Length: " + printable(lengths.get(0)), e);
        }
        for (String other : lengths) {
            if (!other.equals(lengths.get(0))) {
                throw new IOException("two different Content-Length headers");
            }
        }
        if (length < 0) {
            throw new IOException("a negative Content-Length");
        }
        return FramedBody.fixed(in, length);
    }

    /**
     * Whether the server keeps the connection open after {@code head}'s response: HTTP/1.1 unless it says "close",
     * HTTP/1.0 only when it says "keep-alive".
     */
    static boolean keepsAlive(Head head) {
        // Every Connection header's every token counts (as in Apache's reuse strategy), not just the first header.
        List<String> tokens = new ArrayList<>();
        for (String value : head.headers().getOrDefault("Connection", List.of())) {
            for (String token : value.split(",")) {
                tokens.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (tokens.contains("close")) {
            return false;
        }
        return head.http11() || tokens.contains("keep-alive");
    }

    /**
     * Whether a connection that sat in the pool is still usable: nothing to read (a 1 ms read times out). A server
     * that closed it while idle shows an end of stream; bytes no request asked for mean it cannot be trusted either.
     */
    boolean stillOpen() {
        if (closed || socket.isClosed()) {
            return false;
        }
        int timeout;
        try {
            timeout = socket.getSoTimeout();
        } catch (IOException e) {
            return false;
        }
        try {
            socket.setSoTimeout(1);
            in.read(); // returns only at an end of stream or with a byte no request asked for: either way unusable
            return false;
        } catch (SocketTimeoutException alive) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            try {
                socket.setSoTimeout(timeout);
            } catch (IOException e) {
                closeQuietly();
            }
        }
    }

    /**
     * Whether bytes arrived (or stayed buffered) after the last response's end, which no request asked for: read as
     * the next request's answer they would misattribute a response, so such a connection is never reused.
     */
    boolean hasUnreadBytes() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Whether the server has begun an answer within {@code millis} (the read timeout is restored after): after a
     * request body could not be written, a server that refused it early may have said why.
     */
    boolean answersWithin(int millis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            in.mark(1);
            int b = in.read();
            in.reset();
            return b >= 0;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    void idleFrom(long nanos) {
        idleSince = nanos;
    }

    long idleSince() {
        return idleSince;
    }

    boolean isClosed() {
        return closed;
    }

    private String readLine(boolean first) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (first && line.length() == 0) {
                    throw new EOFException("the server closed the connection without an answer");
                }
                throw new EOFException("the response head ended mid-line");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("a response header line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    /** Header names are tokens and values have no line breaks: nothing a caller gives can add a header or a request. */
    private static void checkToken(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ':') {
                throw new IllegalArgumentException("not a header name: " + printable(name));
            }
        }
    }

    private static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("header " + name + " has a value with a line break, NUL or a"
                        + " character outside ISO-8859-1");
            }
        }
    }

    /** For error messages: a server's line, shortened, control characters shown as '?'. */
    private static String printable(String s) {
        String cut = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(c < ' ' || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // closing after a failure: the failure is what is reported
        }
    }

    /** Closes the socket; a thread blocked reading or writing on it gets an exception at once. */
    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}

package org.mediaoffload.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The floor of a run's per-file work with nothing but the JDK: for each file of a list, read it, compute its MD5
 * (Content-MD5) and PUT it over HTTPS, with the headers our uploads send (STANDARD_IA, the three SSE-C headers,
 * {@code x-amz-content-sha256: UNSIGNED-PAYLOAD}, AWS SigV4 computed with {@link Mac} HmacSHA256, path-style URL).
 * One persistent {@link SSLSocket} per worker thread, hand-written HTTP/1.1: request line and headers out, status
 * line and headers in, body drained by Content-Length or chunked. No listing, verification, deletion, database,
 * journal or SDK: a floor below what a run needs, not a client. {@link JdkPutFloorCheck} (another JVM, not timed)
 * proves afterwards that every object is in the bucket and reads back with the SSE-C key.
 *
 * <p>It loads only JDK classes (it reads the info file itself rather than through {@link BenchServer}, whose class
 * names S3Proxy's), so a fresh JVM running it pays only the JDK's start-up and warm-up.
 *
 * <p>Usage: {@code JdkPutFloor <server-info> <bucket> <media-dir> <files.txt> <concurrency> <max-seconds>
 * [passes]}. Prints one line as {@link CeilingLoop}: {@code files bytes seconds requests failures} (of all passes).
 * With {@code passes} > 1 the same files go again into the key prefix {@code pass<N>/}, on the same threads'
 * connections in the same JVM (warm), and each pass prints
 * {@code pass <N> files=.. seconds=.. cpu_s=.. requests=.. failures=..} to standard error (CPU from
 * {@code /proc/self/stat}).
 */
public final class JdkPutFloor {
    static final String REGION = "us-east-1";
    static final String SIGNED_HEADERS = "content-length;content-md5;host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-server-side-encryption-customer-algorithm;x-amz-server-side-encryption-customer-key;"
            + "x-amz-server-side-encryption-customer-key-md5;x-amz-storage-class";
    /** Room before the body in a worker's buffer for the request line and headers (sent as one write). */
    private static final int HEAD_ROOM = 4096;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JdkPutFloor() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6 && args.length != 7) {
            System.err.println("usage: JdkPutFloor <server-info> <bucket> <media-dir> <files.txt> <concurrency>"
                    + " <max-seconds> [passes]");
            System.exit(2);
        }
        Properties info = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            info.load(in);
        }
        String bucket = args[1];
        Path media = Path.of(args[2]);
        List<String> files = Files.readAllLines(Path.of(args[3]));
        int concurrency = Integer.parseInt(args[4]);
        long maxNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));
        int passes = args.length == 7 ? Integer.parseInt(args[6]) : 1;

        long start = System.nanoTime();
        long deadline = start + maxNanos;
        URI endpoint = URI.create(info.getProperty("endpoint"));
        Target target = new Target(endpoint, sslContext(Path.of(info.getProperty("caPem"))), bucket,
                info.getProperty("accessKey"), info.getProperty("secretKey"), BenchKeys.SSE_C_KEY);
        Worker[] workers = new Worker[concurrency];
        for (int i = 0; i < concurrency; i++) {
            workers[i] = new Worker(target);
        }
        Totals all = new Totals();
        for (int pass = 1; pass <= passes && System.nanoTime() < deadline; pass++) {
            String prefix = pass == 1 ? "" : "pass" + pass + "/";
            Totals totals = new Totals();
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            double cpu0 = passes > 1 ? processCpuSeconds() : 0;
            Thread[] threads = new Thread[concurrency];
            for (int i = 0; i < concurrency; i++) {
                Worker w = workers[i];
                // Named as our transfer threads, so that bench/thread-cpu.py groups them as "transfer".
                threads[i] = new Thread(() -> w.run(media, files, prefix, next, deadline, totals),
                        "offload-transfer-" + i);
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            if (passes > 1) {
                System.err.printf(Locale.ROOT, "pass %d files=%d seconds=%.3f cpu_s=%.2f requests=%d failures=%d%n",
                        pass, totals.files.get(), (System.nanoTime() - t0) / 1e9, processCpuSeconds() - cpu0,
                        totals.requests.get(), totals.failures.get());
            }
            all.add(totals);
        }
        for (Worker w : workers) {
            w.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (System.nanoTime() > deadline) {
            System.err.println("jdk-floor: stopped at the time cap; figures cover the files done");
        }
        System.out.printf(Locale.ROOT, "%d %d %.3f %d %d%n", all.files.get(), all.bytes.get(), seconds,
                all.requests.get(), all.failures.get());
    }

    /** This process's user + system CPU so far, from /proc/self/stat (clock ticks of 1/100 s). */
    private static double processCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** Trusts exactly the certificates of the PEM file (as offload.s3.ca-bundle does). */
    static SSLContext sslContext(Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** What every request shares: where it goes and the constant header values. */
    static final class Target {
        final String host;
        final int port;
        final String hostHeader;
        final SSLContext ssl;
        final String bucket;
        final String accessKey;
        final String secretKey;
        final String sseKeyBase64;
        final String sseKeyMd5Base64;

        Target(URI endpoint, SSLContext ssl, String bucket, String accessKey, String secretKey, String sseKey)
                throws GeneralSecurityException {
            this.host = endpoint.getHost();
            this.port = endpoint.getPort() < 0 ? 443 : endpoint.getPort();
            this.hostHeader = endpoint.getPort() < 0 ? host : host + ":" + port;
            this.ssl = ssl;
            this.bucket = bucket;
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            byte[] key = sseKey.getBytes(StandardCharsets.UTF_8);
            this.sseKeyBase64 = Base64.getEncoder().encodeToString(key);
            this.sseKeyMd5Base64 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(key));
        }
    }

    static final class Totals {
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failures = new AtomicLong();

        void add(Totals t) {
            files.addAndGet(t.files.get());
            bytes.addAndGet(t.bytes.get());
            requests.addAndGet(t.requests.get());
            failures.addAndGet(t.failures.get());
        }
    }

    /** The SigV4 arithmetic of one request, with the per-day signing key kept (as every SDK keeps it). */
    static final class Signer {
        private final String secretKey;
        private final Mac mac;
        private final MessageDigest sha256;
        private String keyDate = "";

        Signer(String secretKey) throws GeneralSecurityException {
            this.secretKey = secretKey;
            this.mac = Mac.getInstance("HmacSHA256");
            this.sha256 = MessageDigest.getInstance("SHA-256");
        }

        /** The signature (hex) of a string to sign for {@code date} (yyyyMMdd); the Mac keeps that day's key. */
        String sign(String date, String stringToSign) throws GeneralSecurityException {
            if (!date.equals(keyDate)) {
                byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
                k = hmac(k, REGION);
                k = hmac(k, "s3");
                k = hmac(k, "aws4_request");
                mac.init(new SecretKeySpec(k, "HmacSHA256"));
                keyDate = date;
            }
            return hex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        }

        String sha256Hex(String s) {
            return hex(sha256.digest(s.getBytes(StandardCharsets.UTF_8)));
        }

        private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The Authorization header of a PUT, and what it signs. */
    static String authorization(Signer signer, String accessKey, String canonicalRequest, String amzDate)
            throws GeneralSecurityException {
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + REGION + "/s3/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + signer.sha256Hex(canonicalRequest);
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + SIGNED_HEADERS
                + ", Signature=" + signer.sign(date, stringToSign);
    }

    static String hex(byte[] b) {
        char[] c = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            c[2 * i] = HEX[(b[i] >> 4) & 0xf];
            c[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(c);
    }

    /** A key as a SigV4 canonical URI path (and request path): unreserved characters and '/' kept. */
    static String encodePath(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 16);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(HEX[c >> 4])).append(Character.toUpperCase(HEX[c & 0xf]));
            }
        }
        return sb.toString();
    }

    /** One worker thread's state: its connection, digests and buffer. */
    static final class Worker {
        private final Target target;
        private final Signer signer;
        private final MessageDigest md5;
        private byte[] buf = new byte[HEAD_ROOM + (256 << 10)];
        private SSLSocket socket;
        private OutputStream out;
        private BufferedInputStream in;
        private long amzSecond = -1;
        private String amzDate;
        private int errorsShown;

        Worker(Target target) throws GeneralSecurityException {
            this.target = target;
            this.signer = new Signer(target.secretKey);
            this.md5 = MessageDigest.getInstance("MD5");
        }

        void run(Path media, List<String> files, String prefix, AtomicInteger next, long deadline, Totals totals) {
            int i;
            while ((i = next.getAndIncrement()) < files.size() && System.nanoTime() < deadline) {
                String rel = files.get(i);
                try {
                    int size = read(media.resolve(rel));
                    int status = put(prefix + rel, size, totals);
                    if (status != 200) {
                        totals.failures.incrementAndGet();
                    }
                    totals.files.incrementAndGet();
                    totals.bytes.addAndGet(size);
                } catch (Exception e) {
                    totals.failures.incrementAndGet();
                    System.err.println("jdk-floor: " + rel + ": " + e);
                    close();
                }
            }
        }

        /** The file's bytes into buf from HEAD_ROOM on; its size. */
        private int read(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > Integer.MAX_VALUE - 2 * HEAD_ROOM) {
                    throw new IOException("too large for one buffer: " + size);
                }
                if (buf.length < HEAD_ROOM + size) {
                    buf = new byte[(int) (HEAD_ROOM + size)];
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, HEAD_ROOM, (int) size);
                while (bb.hasRemaining()) {
                    if (ch.read(bb) < 0) {
                        throw new EOFException(file + " shrank while read");
                    }
                }
                return (int) size;
            }
        }

        /** PUTs buf's body; the status. One retry on a fresh connection if a kept-alive one fails. */
        private int put(String key, int size, Totals totals) throws Exception {
            md5.update(buf, HEAD_ROOM, size);
            String contentMd5 = Base64.getEncoder().encodeToString(md5.digest());
            String path = "/" + target.bucket + "/" + encodePath(key);
            String date = amzDate();
            String canonical = "PUT\n" + path + "\n\n"
                    + "content-length:" + size + "\n"
                    + "content-md5:" + contentMd5 + "\n"
                    + "host:" + target.hostHeader + "\n"
                    + "x-amz-content-sha256:UNSIGNED-PAYLOAD\n"
                    + "x-amz-date:" + date + "\n"
                    + "x-amz-server-side-encryption-customer-algorithm:AES256\n"
                    + "x-amz-server-side-encryption-customer-key:" + target.sseKeyBase64 + "\n"
                    + "x-amz-server-side-encryption-customer-key-md5:" + target.sseKeyMd5Base64 + "\n"
                    + "x-amz-storage-class:STANDARD_IA\n"
                    + "\n" + SIGNED_HEADERS + "\nUNSIGNED-PAYLOAD";
            String head = "PUT " + path + " HTTP/1.1\r\n"
                    + "Host: " + target.hostHeader + "\r\n"
                    + "Content-Length: " + size + "\r\n"
                    + "Content-MD5: " + contentMd5 + "\r\n"
                    + "x-amz-storage-class: STANDARD_IA\r\n"
                    + "x-amz-server-side-encryption-customer-algorithm: AES256\r\n"
                    + "x-amz-server-side-encryption-customer-key: " + target.sseKeyBase64 + "\r\n"
                    + "x-amz-server-side-encryption-customer-key-MD5: " + target.sseKeyMd5Base64 + "\r\n"
                    + "x-amz-content-sha256: UNSIGNED-PAYLOAD\r\n"
                    + "x-amz-date: " + date + "\r\n"
                    + "Authorization: " + authorization(signer, target.accessKey, canonical, date) + "\r\n"
                    + "\r\n";
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            if (h.length > HEAD_ROOM) {
                throw new IOException("request head longer than " + HEAD_ROOM + " bytes");
            }
            System.arraycopy(h, 0, buf, HEAD_ROOM - h.length, h.length);
            for (int attempt = 1; ; attempt++) {
                boolean reused = socket != null;
                try {
                    connect();
                    totals.requests.incrementAndGet();
                    out.write(buf, HEAD_ROOM - h.length, h.length + size);
                    out.flush();
                    return response(key);
                } catch (IOException e) {
                    close();
                    if (!reused || attempt > 1) {
                        throw e;
                    }
                }
            }
        }

        /** x-amz-date, formatted once per second. */
        private String amzDate() {
            long now = System.currentTimeMillis() / 1000;
            if (now != amzSecond) {
                LocalDateTime t = LocalDateTime.ofEpochSecond(now, 0, ZoneOffset.UTC);
                amzDate = String.format(Locale.ROOT, "%04d%02d%02dT%02d%02d%02dZ", t.getYear(), t.getMonthValue(),
                        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
                amzSecond = now;
            }
            return amzDate;
        }

        private void connect() throws IOException {
            if (socket != null) {
                return;
            }
            SSLSocket s = (SSLSocket) target.ssl.getSocketFactory().createSocket(target.host, target.port);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the host name checked against the certificate
            s.setSSLParameters(p);
            s.setTcpNoDelay(true);
            socket = s;
            out = s.getOutputStream();
            in = new BufferedInputStream(s.getInputStream(), 8192);
        }

        /** Reads one response: status line, headers, body (drained). The status. */
        private int response(String key) throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            boolean keyEchoed = false;
            for (String header; !(header = line()).isEmpty(); ) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    closeAfter = value.equalsIgnoreCase("close");
                } else if (name.equalsIgnoreCase("x-amz-server-side-encryption-customer-key-MD5")) {
                    keyEchoed = value.equals(target.sseKeyMd5Base64);
                }
            }
            byte[] body = drain(chunked, length, code != 200);
            if (code == 200 && !keyEchoed) {
                code = 0; // the server did not take the object as SSE-C with our key: a failure
            }
            if (code != 200 && errorsShown++ < 3) {
                System.err.println("jdk-floor: PUT " + key + ": HTTP " + status.substring(9).trim()
                        + (code == 0 ? " without our SSE-C key's MD5 echoed" : "") + " "
                        + new String(body, StandardCharsets.UTF_8));
            }
            if (closeAfter || (!chunked && length < 0)) {
                close();
            }
            return code;
        }

        /** The body skipped (kept, up to 4 KB, if {@code keep}: an error's message). */
        private byte[] drain(boolean chunked, long length, boolean keep) throws IOException {
            java.io.ByteArrayOutputStream kept = keep ? new java.io.ByteArrayOutputStream() : null;
            if (chunked) {
                for (long n; (n = Long.parseLong(chunkSize(line()), 16)) > 0; ) {
                    skip(n, kept);
                    line(); // the CRLF after the chunk
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length, kept);
            } else if (length < 0) {
                skip(Long.MAX_VALUE, kept); // until the server closes
            }
            return kept == null ? new byte[0] : kept.toByteArray();
        }

        private static String chunkSize(String line) {
            int semi = line.indexOf(';');
            return (semi < 0 ? line : line.substring(0, semi)).trim();
        }

        /** Skips n bytes of the body (Long.MAX_VALUE: until the server closes the connection). */
        private void skip(long n, java.io.ByteArrayOutputStream kept) throws IOException {
            byte[] scratch = new byte[4096];
            while (n > 0) {
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, n));
                if (r < 0) {
                    if (n == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("response body cut short");
                }
                if (kept != null && kept.size() < 4096) {
                    kept.write(scratch, 0, r);
                }
                if (n != Long.MAX_VALUE) {
                    n -= r;
                }
            }
        }

        /** One CRLF-terminated line (ISO-8859-1), without its terminator. */
        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new EOFException("connection closed mid-response");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
                socket = null;
                out = null;
                in = null;
            }
        }
    }

    /** For tests: the Authorization header of a request with the given canonical form. */
    static String authorizationFor(String secretKey, String accessKey, String canonicalRequest, String amzDate)
            throws GeneralSecurityException {
        return authorization(new Signer(secretKey), accessKey, canonicalRequest, amzDate);
    }
}

package org.mediaoffload.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body read from a connection by its framing (Content-Length, chunks, or up to the connection's end),
 * which knows whether it was read to its last byte: only then can the connection carry the next request.
 * Closing it does not close the connection.
 */
abstract class FramedBody extends InputStream {
    private static final int MAX_CHUNK_LINE = 1024;

    protected final InputStream in;

    private FramedBody(InputStream in) {
        this.in = in;
    }

    /** Whether every byte of the body was read and the connection is at the next response's start. */
    abstract boolean complete();

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() {
        // the connection's owner decides whether it is reused or closed
    }

    static FramedBody fixed(InputStream in, long length) {
        return new Fixed(in, length);
    }

    static FramedBody chunked(InputStream in) {
        return new Chunked(in);
    }

    static FramedBody toEnd(InputStream in) {
        return new ToEnd(in);
    }

    private static final class Fixed extends FramedBody {
        private long left;

        Fixed(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the connection ended " + left + " bytes before the response's Content-Length");
            }
            left -= n;
            return n;
        }

        @Override
        boolean complete() {
            return left == 0;
        }
    }

    private static final class Chunked extends FramedBody {
        /** Bytes left in the current chunk; -1 before the first chunk's size line. */
        private long left = -1;
        private boolean ended;

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                if (left == 0) {
                    expectLineEnd();
                }
                left = chunkSize();
                if (left == 0) {
                    skipTrailers();
                    ended = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the connection ended inside a chunk of the response");
            }
            left -= n;
            return n;
        }

        private long chunkSize() throws IOException {
            String line = line();
            int semicolon = line.indexOf(';');
            String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            if (hex.isEmpty() || hex.length() > 15) {
                throw new IOException("not a chunk size: '" + hex + "'");
            }
            try {
                return Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size: '" + hex + "'", e);
            }
        }

        private void expectLineEnd() throws IOException {
            if (!line().isEmpty()) {
                throw new IOException("a chunk of the response is longer than its size");
            }
        }

        private void skipTrailers() throws IOException {
            for (int i = 0; !line().isEmpty(); i++) {
                if (i > 100) {
                    throw new IOException("more than 100 trailer lines");
                }
            }
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder(16);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("the connection ended inside the response's chunk framing");
                }
                if (c == '\n') {
                    int end = s.length();
                    return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
                }
                if (s.length() >= MAX_CHUNK_LINE) {
                    throw new IOException("a chunk line longer than " + MAX_CHUNK_LINE + " bytes");
                }
                s.append((char) c);
            }
        }

        @Override
        boolean complete() {
            return ended;
        }
    }

    /** No length and no chunks: the body ends with the connection, which cannot be reused. */
    private static final class ToEnd extends FramedBody {
        ToEnd(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        boolean complete() {
            return false;
        }
    }
}

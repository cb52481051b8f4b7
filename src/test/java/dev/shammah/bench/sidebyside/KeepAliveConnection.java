package dev.shammah.bench.sidebyside;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket, so that a latency is the server's and not a client
 * library's: one write per request, no pool, no extra threads. Reads bodies framed by content-length, by chunking
 * or by the connection closing (then it reconnects before the next request, outside the timed part).
 */
final class KeepAliveConnection implements AutoCloseable {
    private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);
    /** OpenAI's streams have no event names: their first event is their first {@code data:} line. */
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int reconnects;

    /**
     * What came back. {@code nanos} runs from the first byte written to the last body byte read;
     * {@code firstEventNanos} from the first byte written to the end of the first {@code event:} field name
     * (-1 when the body has none).
     */
    record Response(int status, Map<String, String> headers, byte[] body, long nanos, long firstEventNanos) {
        boolean ok() {
            return status / 100 == 2;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    KeepAliveConnection(int port) {
        this.port = port;
    }

    /** Connections opened again after the server closed one (idle keep-alive, connection: close, close-framed body). */
    int reconnects() {
        return reconnects;
    }

    Response post(String path, Map<String, String> headers, byte[] body) throws IOException {
        byte[] request = request(path, headers, body);
        boolean fresh = ensureOpen();
        try {
            return exchange(request);
        } catch (StaleConnection e) {
            if (fresh) {
                throw e;
            }
            // A reused connection the server had already given up on: the request never reached it, so send it
            // again on a new connection and time that attempt alone.
            close();
            reconnects++;
            ensureOpen();
            return exchange(request);
        }
    }

    private byte[] request(String path, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("host: 127.0.0.1:").append(port).append("\r\n")
                .append("content-length: ").append(body.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Opens the socket when there is none; true when it did. */
    private boolean ensureOpen() throws IOException {
        if (socket != null) {
            return false;
        }
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
        return true;
    }

    private Response exchange(byte[] request) throws IOException {
        long start = System.nanoTime();
        String statusLine;
        try {
            out.write(request);
            out.flush();
            statusLine = line();
        } catch (java.net.SocketException e) {
            throw new StaleConnection(e.getMessage());
        }
        if (statusLine == null) {
            throw new StaleConnection("connection closed before the status line");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        BodyScan scan = new BodyScan(start);
        String te = headers.getOrDefault("transfer-encoding", "");
        String length = headers.get("content-length");
        boolean closeAfter = "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
        if (status == 204 || status == 304 || status / 100 == 1) {
            // no body
        } else if (te.toLowerCase(Locale.ROOT).contains("chunked")) {
            readChunked(scan);
        } else if (length != null) {
            readFixed(scan, Long.parseLong(length));
        } else {
            readToEnd(scan);
            closeAfter = true;
        }
        long nanos = System.nanoTime() - start;
        if (closeAfter) {
            close();
            reconnects++;
        }
        return new Response(status, headers, scan.bytes.toByteArray(), nanos, scan.firstEvent);
    }

    /** The connection was gone before any byte of an answer: the request can safely be sent again. */
    private static final class StaleConnection extends IOException {
        StaleConnection(String message) {
            super(message);
        }
    }

    /**
     * Collects body bytes and notes when the first line starting with {@code event:} (Anthropic's streams) or
     * {@code data:} (OpenAI's, which name no events) has arrived.
     */
    private static final class BodyScan {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        final long start;
        long firstEvent = -1;
        int column;
        boolean mayMatch = true;
        boolean mayMatchData = true;

        BodyScan(long start) {
            this.start = start;
        }

        void add(int b) {
            bytes.write(b);
            if (firstEvent >= 0) {
                return;
            }
            if (b == '\n') {
                column = 0;
                mayMatch = true;
                mayMatchData = true;
                return;
            }
            mayMatch = mayMatch && column < EVENT.length && b == EVENT[column];
            mayMatchData = mayMatchData && column < DATA.length && b == DATA[column];
            column++;
            if ((mayMatch && column == EVENT.length) || (mayMatchData && column == DATA.length)) {
                firstEvent = System.nanoTime() - start;
            }
        }
    }

    private void readFixed(BodyScan scan, long n) throws IOException {
        for (long i = 0; i < n; i++) {
            scan.add(next());
        }
    }

    private void readChunked(BodyScan scan) throws IOException {
        while (true) {
            String sizeLine = line();
            if (sizeLine == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            if (size == 0) {
                for (String t = line(); t != null && !t.isEmpty(); t = line()) {
                    // trailers: none expected, read past them
                }
                return;
            }
            readFixed(scan, size);
            line();
        }
    }

    private void readToEnd(BodyScan scan) throws IOException {
        for (int b = in.read(); b >= 0; b = in.read()) {
            scan.add(b);
        }
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a body");
        }
        return b;
    }

    /** One CRLF- (or LF-) terminated line, without its terminator; null at end of stream before any byte. */
    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            if (b != '\r') {
                s.append((char) b);
            }
            b = in.read();
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection we are done with: nothing to report
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}

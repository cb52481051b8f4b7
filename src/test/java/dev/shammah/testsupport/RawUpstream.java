package dev.shammah.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Anthropic upstream that misbehaves at the wire level, which a well-behaved HTTP server (the fake built on
 * Helidon) cannot: bodies ended by closing the connection (valid HTTP/1.1, what HTTP/1.0-style proxies send),
 * answers dripped byte by byte, connections reset before any response byte, and keep-alive connections closed
 * while idle in the client's pool. Speaks just enough HTTP/1.1 to read one request per connection turn.
 */
public final class RawUpstream implements AutoCloseable {
    /** How the next connections are answered. */
    public enum Mode {
        /** 200 JSON with no content-length and no chunking; the body ends when the connection closes. */
        CLOSE_DELIMITED_JSON,
        /** 200 event stream, likewise ended by closing the connection. */
        CLOSE_DELIMITED_SSE,
        /** 200 JSON with a content-length, one byte every {@code dripMillis}. */
        DRIP,
        /** The first {@code failures} connections are reset after the request is read; then answers normally. */
        RESET_FIRST,
        /**
         * Answers once per connection with content-length and keep-alive, then treats the connection as closed
         * while idle: the next request that arrives on it (from the client's pool) is read and the connection
         * dropped without an answer — the race a real upstream's idle timeout creates.
         */
        CLOSE_WHEN_IDLE,
        /**
         * The first {@code failures} answers lose their first byte ("TTP/1.1 200 OK"), as a pooled connection's
         * do when Helidon's idle watcher swallows it (helidon-io/helidon#10861); then answers normally.
         */
        FIRST_BYTE_LOST
    }

    public static final String TEXT = "Hello from a raw upstream.";

    private final ServerSocket server;
    private final Thread acceptor;
    private volatile Mode mode = Mode.CLOSE_DELIMITED_JSON;
    private volatile int dripMillis = 50;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    private RawUpstream() throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    public static RawUpstream start() {
        try {
            return new RawUpstream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public void drip(int millis) {
        this.dripMillis = millis;
    }

    /** Resets this many connections before answering normally (mode {@link Mode#RESET_FIRST}). */
    public void failures(int n) {
        failures.set(n);
    }

    /** Requests read so far (reset ones included). */
    public int requests() {
        return requests.get();
    }

    public int connections() {
        return connections.get();
    }

    /** Requests that arrived on a connection already considered closed, and were dropped unanswered. */
    public int dropped() {
        return dropped.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int served = 0;
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                boolean stream = readBody(in, head).contains("\"stream\":true");
                requests.incrementAndGet();
                if (mode == Mode.CLOSE_WHEN_IDLE && served++ > 0) {
                    dropped.incrementAndGet();
                    return;
                }
                switch (mode) {
                    case CLOSE_DELIMITED_JSON -> {
                        write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                                + json());
                        return;
                    }
                    case CLOSE_DELIMITED_SSE -> {
                        write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                                + sse());
                        return;
                    }
                    case DRIP -> {
                        String body = stream ? sse() : json();
                        write(out, "HTTP/1.1 200 OK\r\nContent-Type: " + (stream ? "text/event-stream"
                                : "application/json") + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8)
                                .length + "\r\n\r\n");
                        for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(dripMillis);
                        }
                    }
                    case RESET_FIRST -> {
                        if (failures.getAndDecrement() > 0) {
                            s.setSoLinger(true, 0);
                            return;
                        }
                        answer(out, stream);
                    }
                    case CLOSE_WHEN_IDLE -> answer(out, stream);
                    case FIRST_BYTE_LOST -> {
                        if (failures.getAndDecrement() > 0) {
                            String body = stream ? sse() : json();
                            write(out, "TTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
                            return;
                        }
                        answer(out, stream);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or we reset it on purpose
        }
    }

    private static void answer(OutputStream out, boolean stream) throws IOException {
        String body = stream ? sse() : json();
        write(out, "HTTP/1.1 200 OK\r\nContent-Type: " + (stream ? "text/event-stream" : "application/json")
                + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String json() {
        return "{\"id\":\"msg_raw_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-raw\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"" + TEXT + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":3,\"output_tokens\":6}}";
    }

    static String sse() {
        return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_raw_1\",\"type\":"
                + "\"message\",\"role\":\"assistant\",\"model\":\"claude-raw\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"text_delta\",\"text\":\"" + TEXT + "\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":6}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    /** The request line and headers, or null when the connection closed first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static String readBody(InputStream in, String head) throws IOException {
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        acceptor.interrupt();
    }
}

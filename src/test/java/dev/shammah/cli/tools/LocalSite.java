package dev.shammah.cli.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A small HTTP site on 127.0.0.1 for the fetch tests: pages and redirects, each counting its hits. */
public final class LocalSite implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    private LocalSite(HttpServer server) {
        this.server = server;
    }

    public static LocalSite start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.start();
            return new LocalSite(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalSite page(String path, String body) {
        return handle(path, 200, null, body);
    }

    /** A 302 to {@code location}. */
    public LocalSite redirect(String path, String location) {
        return handle(path, 302, location, "");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    private LocalSite handle(String path, int status, String location, String body) {
        hits.put(path, new AtomicInteger());
        server.createContext(path, (HttpExchange ex) -> {
            hits.get(path).incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (location != null) {
                ex.getResponseHeaders().add("Location", location);
            }
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (var out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

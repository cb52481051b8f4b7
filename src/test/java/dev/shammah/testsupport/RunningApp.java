package dev.shammah.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.shammah.App;
import io.helidon.webserver.WebServer;

/**
 * A whole Shammah server on a free port, for tests that need several differently configured servers in one
 * class. Called with the JDK's HttpClient, as any client would.
 */
public final class RunningApp implements AutoCloseable {
    private final App app;
    private final WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path dataDir;
    private final boolean ownsDataDir;

    private RunningApp(App app, Path dataDir, boolean ownsDataDir) {
        this.app = app;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.server = WebServer.builder().update(app::configureServer).port(0).build().start();
    }

    /** A server keeping its data in {@code dataDir}: a second one on the same dir is a restart. */
    public static RunningApp startIn(URI upstream, Path dataDir, Map<String, String> overrides, Clock clock) {
        return new RunningApp(App.create(TestConfigs.forUpstream(upstream, dataDir, overrides), clock), dataDir, false);
    }

    public static RunningApp start(URI upstream, Map<String, String> overrides, Clock clock) {
        try {
            Path data = Files.createTempDirectory("shammah-app");
            return new RunningApp(App.create(TestConfigs.forUpstream(upstream, data, overrides), clock), data, true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public App app() {
        return app;
    }

    public Path dataDir() {
        return dataDir;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** As the daemon stops on SIGTERM: drain, stop the server, close the app. */
    @Override
    public void close() {
        app.drain();
        server.stop();
        app.close();
        if (ownsDataDir) {
            TempDirs.delete(dataDir);
        }
    }
}

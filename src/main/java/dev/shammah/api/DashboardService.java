package dev.shammah.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import dev.shammah.errors.ShammahException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /dashboard}: the operator's page, three static files from the jar (no build step, no library). The
 * page holds no figures itself: its script asks {@code GET /admin/usage} and {@code /health}, so it is served
 * without a key, and the usage it shows needs the same admin key as the endpoint (typed into the page, kept in the
 * tab's session storage, sent as {@code x-api-key} — never a URL or a cookie, so no other site can ride on it).
 */
public final class DashboardService implements HttpService {
    /** The files, by name, with their content types: nothing else under /dashboard is served. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");
    /** Only this origin's own files and calls: no inline script, no frames. */
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> send(res, "index.html"))
                .get("/{file}", (req, res) -> send(res, req.path().pathParameters().get("file")));
    }

    private static void send(ServerResponse res, String file) {
        String type = FILES.get(file);
        if (type == null) {
            throw ShammahException.notFound("No such file in the dashboard: " + RequestGuard.printable(file));
        }
        byte[] bytes;
        try (InputStream in = DashboardService.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + file + " is missing from the jar");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("content-security-policy"), POLICY);
        res.header(HeaderNames.create("x-content-type-options"), "nosniff");
        res.send(bytes);
    }
}

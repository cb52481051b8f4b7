package dev.shammah.cli.tools;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonObject;

/**
 * {@code fetch}: an HTTP(S) GET with a timeout, body capped. Fails clearly when offline.
 *
 * <p>An approval covers the URL it was given for, and no more: redirects are not followed by the client. One to the
 * same origin (scheme, host, port) is followed here; one to another origin is a new call, shown and approved
 * like the first (in the REPL the person is asked again; {@code query} has only its remembered patterns). A host
 * that resolves to a loopback, link-local, private or unspecified address is fetched only when the approval
 * names that host: a person's yes to the URL, "exactly this", or a glob whose host part is written out
 * ({@code http://127.0.0.1:8080/*}) — not "always fetch", not {@code http*}, not a regex.
 *
 * <p>The check is on the resolved addresses, made when the call is prepared and again just before each request.
 * The client then resolves the name itself; the JDK caches a lookup for 30 s ({@code networkaddress.cache.ttl}),
 * so it connects to the addresses checked unless that cache is turned off — the remaining window for a DNS
 * answer that changes between the check and the connection.
 */
public final class FetchTool implements Tool {
    static final int MAX_CHARS = 64 * 1024;
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Duration timeout;
    private final HttpClient http;

    public FetchTool(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public JsonObject definition() {
        return Schemas.tool(name(), "HTTP GET a URL; returns the status and up to 64 KB of the body.", "url",
                "http or https URL");
    }

    @Override
    public Call prepare(JsonObject input, Path workingDir) {
        return prepare(Tool.requiredString(input, "url"), null);
    }

    private FetchCall prepare(String url, URI redirectedFrom) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only http and https URLs can be fetched");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        return new FetchCall(uri, redirectedFrom, PrivateAddresses.of(uri.getHost()));
    }

    /** A GET of {@code uri}; {@code nonPublic} says why its host is not public, or is null. */
    private final class FetchCall implements Call {
        private final URI uri;
        private final URI redirectedFrom;
        private final String nonPublic;

        FetchCall(URI uri, URI redirectedFrom, String nonPublic) {
            this.uri = uri;
            this.redirectedFrom = redirectedFrom;
            this.nonPublic = nonPublic;
        }

        @Override
        public String argument() {
            return uri.toString();
        }

        @Override
        public String describe() {
            return "GET " + uri + (redirectedFrom == null ? "" : " (redirected from " + redirectedFrom + ")")
                    + (nonPublic == null ? "" : " [" + nonPublic + "]");
        }

        @Override
        public String unusual() {
            return nonPublic;
        }

        /** A glob names the host when its scheme://host part is written out, without wildcards. */
        @Override
        public boolean namedBy(ToolPatterns.Rule rule) {
            return rule.kind() == ToolPatterns.Kind.GLOB && hostOf(rule.pattern())
                    .filter(h -> h.equalsIgnoreCase(uri.getHost())).isPresent();
        }

        @Override
        public ToolResult run(Approver approver) {
            URI current = uri;
            boolean hostApproved = nonPublic != null; // approved although not public: its host was named
            for (int redirects = 0; ; redirects++) {
                String now = hostApproved ? null : PrivateAddresses.of(current.getHost());
                if (now != null) {
                    return ToolResult.failed("Refused: " + now + "; a fetch reaches it only when the approval names "
                            + "that host");
                }
                HttpResponse<InputStream> res;
                try {
                    res = http.send(HttpRequest.newBuilder(current).timeout(timeout).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    return ToolResult.failed("Fetch failed (offline or unreachable?): " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ToolResult.failed("Interrupted");
                }
                Optional<String> location = res.headers().firstValue("location");
                if (!REDIRECTS.contains(res.statusCode()) || location.isEmpty()) {
                    return body(res, current);
                }
                close(res);
                if (redirects == MAX_REDIRECTS) {
                    return ToolResult.failed("Too many redirects (more than " + MAX_REDIRECTS + ") from " + uri);
                }
                URI next;
                try {
                    next = current.resolve(location.get());
                } catch (IllegalArgumentException e) {
                    return ToolResult.failed("HTTP " + res.statusCode() + " redirect to a bad URL: " + location.get());
                }
                if (!sameOrigin(current, next)) {
                    FetchCall redirected;
                    try {
                        redirected = prepare(next.toString(), current);
                    } catch (IllegalArgumentException e) {
                        return ToolResult.failed("HTTP " + res.statusCode() + " redirect to " + next + ": "
                                + e.getMessage());
                    }
                    if (!approver.approve(FetchTool.this, redirected)) {
                        return ToolResult.failed("HTTP " + res.statusCode() + " redirect to " + next
                                + " (another origin), which was not approved; not followed");
                    }
                    hostApproved = redirected.nonPublic != null;
                }
                current = next;
            }
        }

        private ToolResult body(HttpResponse<InputStream> res, URI current) {
            try (InputStream body = res.body()) {
                String text = new String(body.readNBytes(MAX_CHARS * 4), StandardCharsets.UTF_8);
                return new ToolResult("HTTP " + res.statusCode() + (current.equals(uri) ? "" : " from " + current)
                        + "\n" + Tool.cap(text, MAX_CHARS), res.statusCode() >= 400);
            } catch (IOException e) {
                return ToolResult.failed("Fetch failed while reading the body: " + e.getMessage());
            }
        }
    }

    private static void close(HttpResponse<InputStream> res) {
        try {
            res.body().close();
        } catch (IOException e) {
            // only discarding a redirect's body
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(Objects.requireNonNullElse(b.getScheme(), ""))
                && a.getHost().equalsIgnoreCase(Objects.requireNonNullElse(b.getHost(), ""))
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** The host a URL glob writes out before any wildcard ({@code http://127.0.0.1:8080/*}), if it does. */
    static Optional<String> hostOf(String glob) {
        int scheme = glob.indexOf("://");
        if (scheme < 0 || !Set.of("http", "https").contains(glob.substring(0, scheme).toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String rest = glob.substring(scheme + 3);
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        if (authority.contains("@")) {
            return Optional.empty();
        }
        String host = authority.startsWith("[") && authority.contains("]")
                ? authority.substring(0, authority.indexOf(']') + 1)
                : authority.contains(":") ? authority.substring(0, authority.indexOf(':')) : authority;
        return host.isEmpty() || host.contains("*") ? Optional.empty() : Optional.of(host);
    }
}

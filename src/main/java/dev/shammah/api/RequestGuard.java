package dev.shammah.api;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.shammah.config.ServerSettings;
import dev.shammah.errors.ErrorType;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Checks made before a request is read, for things the HTTP layer lets through:
 * <ul>
 * <li>two {@code content-length} headers that disagree, or one that is negative (request smuggling's tools);</li>
 * <li>with auth off, a {@code Host} that is not this server's (a browser page that rebinds its own name to
 * 127.0.0.1 would otherwise read {@code /metrics} and drive the API with the user's upstream key);</li>
 * <li>an {@code Origin} header from a browser page not in {@code server.allowed-origins};</li>
 * <li>a {@code POST} to {@code /v1/} whose body is not declared JSON (a cross-site form or {@code text/plain}
 * post needs no CORS preflight: this is what stops it).</li>
 * </ul>
 */
public final class RequestGuard {
    private static final HeaderName ORIGIN = HeaderNames.create("Origin");

    private final boolean authEnabled;
    private final Set<String> hosts = new HashSet<>();
    private final boolean anyHost;
    private final Set<String> origins = new HashSet<>();

    public RequestGuard(ServerSettings server) {
        this.authEnabled = server.authEnabled();
        List<String> allowed = server.network().allowedHosts();
        this.anyHost = allowed.contains("*");
        hosts.addAll(List.of("127.0.0.1", "localhost", "::1", "[::1]"));
        hosts.add(server.host().toLowerCase(Locale.ROOT));
        allowed.forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        server.network().allowedOrigins().forEach(o -> origins.add(stripSlash(o.toLowerCase(Locale.ROOT))));
    }

    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String problem = problem(req);
        if (problem != null) {
            ErrorType type = problem.startsWith("403:") ? ErrorType.PERMISSION : ErrorType.INVALID_REQUEST;
            // The body was not read: close the connection rather than guess where the next request starts.
            res.header(HeaderNames.CONNECTION, "close");
            ErrorResponses.send(req, res, type, problem.substring(4));
            return;
        }
        chain.proceed();
    }

    /** A content-length as this server accepts one: ASCII digits only, 1 to 18 of them (it must fit a long). */
    private static boolean acceptableLength(String l) {
        if (l.isEmpty() || l.length() > 18) {
            return false;
        }
        for (int i = 0; i < l.length(); i++) {
            if (l.charAt(i) < '0' || l.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** "400:…" or "403:…", or null when the request may go on. */
    private String problem(RoutingRequest req) {
        List<String> lengths = req.headers().all(HeaderNames.CONTENT_LENGTH, List::of);
        if (lengths.size() > 1 && lengths.stream().map(String::trim).distinct().count() > 1) {
            return "400:Conflicting content-length headers";
        }
        for (String l : lengths) {
            if (!acceptableLength(l.trim())) {
                return "400:content-length must be a non-negative integer";
            }
        }
        if (!authEnabled && !anyHost) {
            String host = req.headers().first(HeaderNames.HOST).orElse("");
            if (!hosts.contains(hostName(host))) {
                return "403:Host '" + printable(host) + "' is not this server's; with auth off only its own address "
                        + "is accepted (server.allowed-hosts)";
            }
        }
        var origin = req.headers().first(ORIGIN);
        if (origin.isPresent() && !origins.contains(stripSlash(origin.get().toLowerCase(Locale.ROOT)))) {
            return "403:Cross-site requests from '" + printable(origin.get()) + "' are not accepted "
                    + "(server.allowed-origins)";
        }
        String path = req.prologue().uriPath().path();
        if (req.prologue().method().text().equals("POST") && path.startsWith("/v1/")) {
            String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/json")) {
                return "400:content-type must be application/json" + (type.isEmpty() ? "" : " (got '"
                        + printable(type) + "')");
            }
        }
        return null;
    }

    /** The name part of a Host header: "127.0.0.1:8000" → "127.0.0.1", "[::1]:8000" → "[::1]". */
    static String hostName(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** A header value fit to quote in an error: printable ASCII, at most 80 characters. */
    static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}

package dev.shammah.api;

import java.util.Map;

import dev.shammah.errors.ErrorType;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Authentication when {@code server.auth-enabled} is true: a client key (x-api-key or Authorization: Bearer,
 * since Anthropic's SDKs differ in which they send) on {@code /v1/*}, an admin key on {@code /metrics} and
 * {@code /admin/*}; {@code /health} stays open. Registers the {@link Caller} for every request.
 */
public final class AuthFilter {
    private final boolean enabled;
    private final ApiKeys keys;
    private final Tenants tenants;

    public AuthFilter(boolean enabled, ApiKeys keys, Map<String, String> tenantGroups,
                      boolean forwardClientKey) {
        this.enabled = enabled;
        this.keys = keys;
        this.tenants = new Tenants(tenantGroups, forwardClientKey);
    }

    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.prologue().uriPath().path();
        String key = presentedKey(req);
        if (!enabled) {
            req.context().register(new Caller("ip:" + req.remotePeer().host(), false, tenants.unauthenticated(key),
                    true));
            chain.proceed();
            return;
        }
        boolean api = path.startsWith("/v1/");
        boolean admin = path.equals("/metrics") || path.startsWith("/metrics/") || path.startsWith("/admin/");
        if (!api && !admin) {
            chain.proceed();
            return;
        }
        if (key == null) {
            ErrorResponses.send(req, res, ErrorType.AUTHENTICATION, "Missing API key: send it in the x-api-key header "
                    + "or as Authorization: Bearer <key>");
            return;
        }
        if (admin) {
            if (!keys.isAdmin(key)) {
                boolean client = keys.isClient(key);
                ErrorResponses.send(req, res, client ? ErrorType.PERMISSION : ErrorType.AUTHENTICATION,
                        client ? "This key may not use " + path + ": it needs an admin key (server.admin-keys)"
                                : "Invalid API key");
                return;
            }
        } else if (!keys.isClient(key)) {
            ErrorResponses.send(req, res, ErrorType.AUTHENTICATION, "Invalid API key");
            return;
        }
        String id = ApiKeys.keyId(key);
        req.context().register(new Caller(id, true, tenants.ofKey(id), keys.isAdmin(key)));
        chain.proceed();
    }

    static String presentedKey(RoutingRequest req) {
        var apiKey = req.headers().first(HeaderNames.create("x-api-key"));
        if (apiKey.isPresent() && !apiKey.get().isBlank()) {
            return apiKey.get().trim();
        }
        var auth = req.headers().first(HeaderNames.AUTHORIZATION);
        if (auth.isPresent() && auth.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.get().substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}

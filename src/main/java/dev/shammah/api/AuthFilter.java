package dev.shammah.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import dev.shammah.engine.PromptText;
import dev.shammah.errors.ErrorType;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Client authentication on the {@code /v1} API when {@code server.auth-enabled} is true. Accepts both
 * {@code x-api-key} and {@code Authorization: Bearer}, because Anthropic's SDKs differ in which they send.
 * Keys are compared as SHA-256 digests with a constant-time comparison.
 */
public final class AuthFilter {
    private final boolean enabled;
    private final List<byte[]> keyDigests;

    public AuthFilter(boolean enabled, List<String> keys) {
        this.enabled = enabled;
        this.keyDigests = keys.stream().map(AuthFilter::digest).toList();
    }

    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!enabled || !req.prologue().uriPath().path().startsWith("/v1/")) {
            chain.proceed();
            return;
        }
        String key = presentedKey(req);
        if (key == null) {
            ErrorResponses.send(res, ErrorType.AUTHENTICATION, "Missing API key: send it in the x-api-key header "
                    + "or as Authorization: Bearer <key>", RequestId.of(req));
            return;
        }
        byte[] presented = digest(key);
        boolean match = false;
        for (byte[] known : keyDigests) {
            // No early exit: the time taken must not reveal which key (if any) was close.
            match |= MessageDigest.isEqual(known, presented);
        }
        if (!match) {
            ErrorResponses.send(res, ErrorType.AUTHENTICATION, "Invalid API key", RequestId.of(req));
            return;
        }
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

    private static byte[] digest(String key) {
        return PromptText.sha256(key).getBytes(StandardCharsets.US_ASCII);
    }
}

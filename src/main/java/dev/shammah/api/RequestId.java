package dev.shammah.api;

import java.security.SecureRandom;

import io.helidon.webserver.http.ServerRequest;

/** Our id for one HTTP request, returned as the {@code request-id} header and in every error body. */
public record RequestId(String value) {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code req_} and 24 base-62 characters, the shape Anthropic's own ids have. */
    public static RequestId generate() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new RequestId("req_" + new String(id));
    }

    /** The id the request filter assigned; a fresh one if the request bypassed the filter. */
    public static String of(ServerRequest req) {
        return req.context().get(RequestId.class).map(RequestId::value).orElseGet(() -> generate().value());
    }
}

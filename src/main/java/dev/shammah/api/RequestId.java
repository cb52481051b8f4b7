package dev.shammah.api;

import java.util.concurrent.ThreadLocalRandom;

import io.helidon.webserver.http.ServerRequest;

/** Our id for one HTTP request, returned as the {@code request-id} header and in every error body. */
public record RequestId(String value) {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /**
     * {@code req_} and 24 base-62 characters, the shape Anthropic's own ids have. A request id correlates log
     * lines and grants nothing, so it needs to be unique, not unguessable: {@code ThreadLocalRandom} (142 bits of
     * it) costs nothing, where {@code SecureRandom} took a lock and a read of /dev/urandom per character.
     */
    public static RequestId generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new RequestId("req_" + new String(id));
    }

    /** The id the request filter assigned; a fresh one if the request bypassed the filter. */
    public static String of(ServerRequest req) {
        return req.context().get(RequestId.class).map(RequestId::value).orElseGet(() -> generate().value());
    }
}

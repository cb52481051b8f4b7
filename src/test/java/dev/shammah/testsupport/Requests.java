package dev.shammah.testsupport;

import jakarta.json.Json;

/** Request bodies tests send. */
public final class Requests {
    private Requests() {
    }

    /** A one-turn Messages request, optionally in a session. */
    public static String simple(String text, String sessionId) {
        var b = Json.createObjectBuilder()
                .add("model", "claude-test")
                .add("max_tokens", 50)
                .add("messages", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("role", "user").add("content", text)));
        if (sessionId != null) {
            b.add("session_id", sessionId);
        }
        return b.build().toString();
    }
}

package dev.shammah.cli;

import dev.shammah.config.CliSettings;
import dev.shammah.engine.MessagesRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/** Builds the Messages requests that the terminal modes send to the engine. */
final class Prompts {
    private Prompts() {
    }

    static MessagesRequest userTurn(CliSettings settings, String text, String sessionId) {
        var body = Json.createObjectBuilder()
                .add("model", settings.model())
                .add("max_tokens", settings.maxTokens())
                .add("messages", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("role", "user").add("content", text)));
        if (sessionId != null) {
            body.add("session_id", sessionId);
        }
        JsonObject json = body.build();
        return MessagesRequest.parse(json);
    }
}

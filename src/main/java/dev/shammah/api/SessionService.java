package dev.shammah.api;

import dev.shammah.errors.ShammahException;
import dev.shammah.session.SessionSnapshot;
import dev.shammah.session.Sessions;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import dev.shammah.json.Json;
import jakarta.json.JsonObject;

/** {@code GET /v1/session/{id}} (metadata, never creates) and {@code DELETE /v1/session/{id}}. */
public final class SessionService implements HttpService {
    private final Sessions sessions;

    public SessionService(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/session/{id}", this::get)
                .delete("/session/{id}", this::delete);
    }

    private void get(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        SessionSnapshot s = sessions.find(id, Caller.of(req).owner()).orElseThrow(() -> unknown(id));
        JsonBodies.send(res, toJson(s));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!sessions.delete(id, Caller.of(req).owner())) {
            throw unknown(id);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    static JsonObject toJson(SessionSnapshot s) {
        return Json.createObjectBuilder()
                .add("type", "session")
                .add("id", s.id())
                .add("created_at", s.createdAt().toString())
                .add("last_activity", s.lastActivity().toString())
                .add("message_count", s.messageCount())
                .add("turns", s.turns())
                .add("usage", Json.createObjectBuilder()
                        .add("input_tokens", s.inputTokens())
                        .add("output_tokens", s.outputTokens()))
                .build();
    }

    private static ShammahException unknown(String id) {
        return ShammahException.notFound("No session with id '" + id + "' (it may have expired)");
    }
}

package dev.shammah.api;

import java.util.Optional;

import dev.shammah.engine.LearningLoop;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.local.Checkpoints;
import dev.shammah.local.StudentModel;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import dev.shammah.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * Model administration: {@code GET /admin/checkpoints}, {@code POST /admin/reload_models} (load the promoted
 * checkpoint beside the serving one, swap atomically; answers in flight finish on the old one) and
 * {@code POST /admin/rollback} (promote an earlier checkpoint, by default the one before the serving one).
 */
public final class AdminService implements HttpService {
    private final LearningLoop learning;
    private final JsonBodies bodies = new JsonBodies(64 * 1024);

    public AdminService(LearningLoop learning) {
        this.learning = learning;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/checkpoints", this::checkpoints)
                .post("/reload_models", this::reload)
                .post("/rollback", this::rollback);
    }

    private StudentModel student() {
        StudentModel s = learning.student().model();
        if (s == null) {
            throw new ShammahException(ErrorType.NOT_FOUND, "No student model: learning.enabled or "
                    + "model.student.enabled is off");
        }
        return s;
    }

    private void checkpoints(ServerRequest req, ServerResponse res) {
        StudentModel s = student();
        JsonArrayBuilder list = Json.createArrayBuilder();
        String serving = s.serving().map(Checkpoints.Manifest::name).orElse("");
        s.checkpoints().list().forEach(m -> list.add(Json.createObjectBuilder()
                .add("checkpoint", m.name()).add("step", m.step()).add("examples", m.examples()).add("loss", m.loss())
                .add("validator_score", m.validatorScore()).add("created_at", m.createdAt().toString())
                .add("serving", m.name().equals(serving))));
        JsonBodies.send(res, Json.createObjectBuilder().add("checkpoints", list).build());
    }

    private void reload(ServerRequest req, ServerResponse res) {
        if (learning.student().model() == null && learning.userModel() == null) {
            throw new ShammahException(ErrorType.NOT_FOUND, "No local model to reload: no student "
                    + "(model.student.enabled) and no user model (model.path)");
        }
        var out = Json.createObjectBuilder();
        if (learning.userModel() != null) {
            learning.userModel().reload();
            out.add("user_model", learning.userModel().directory().toString());
        }
        if (learning.student().model() != null) {
            learning.student().model().reload().ifPresentOrElse(m -> out.add("serving", m.name()),
                    () -> out.addNull("serving"));
        }
        JsonBodies.send(res, out.build());
    }

    private void rollback(ServerRequest req, ServerResponse res) {
        StudentModel s = student();
        String target = null;
        if (req.headers().contentLength().orElse(0) > 0) {
            JsonObject body = bodies.read(req);
            if (body.get("checkpoint") instanceof JsonString name) {
                target = name.getString();
            } else if (body.containsKey("checkpoint")) {
                throw ShammahException.invalid("checkpoint: Input should be a valid string");
            }
        }
        if (target == null) {
            String serving = s.serving().map(Checkpoints.Manifest::name).orElse("");
            target = s.checkpoints().list().stream().map(Checkpoints.Manifest::name)
                    .filter(n -> n.compareTo(serving) < 0)
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> ShammahException.invalid("No checkpoint older than the serving one"));
        }
        String name = target;
        if (s.checkpoints().list().stream().noneMatch(m -> m.name().equals(name))) {
            throw ShammahException.notFound("No checkpoint named '" + name + "'");
        }
        JsonBodies.send(res, serving(s.rollback(name)));
    }

    private static JsonObject serving(Optional<Checkpoints.Manifest> m) {
        return m.map(x -> Json.createObjectBuilder().add("serving", x.name()).add("step", x.step())
                        .add("validator_score", x.validatorScore()).build())
                .orElseGet(() -> Json.createObjectBuilder().addNull("serving").build());
    }
}

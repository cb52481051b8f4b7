package dev.shammah.api;

import java.util.Optional;

import dev.shammah.engine.Learning;
import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
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
 * Learned memory per tenant: {@code GET /admin/tenants} (ids, sizes, dates), {@code GET
 * /admin/tenants/{tenant}/exchanges?offset=&limit=} (ids, sizes, dates; prompt and answer text only with
 * {@code log.store-text}), {@code DELETE /admin/tenants/{tenant}/exchanges} (everything learned from that tenant,
 * its evidence too) and {@code DELETE /admin/tenants/{tenant}/exchanges/{id}} (one).
 * Model administration: {@code GET /admin/checkpoints}, {@code POST /admin/reload_models} (load the promoted
 * checkpoint beside the serving one, swap atomically; answers in flight finish on the old one) and
 * {@code POST /admin/rollback} (promote an earlier checkpoint, by default the one before the serving one).
 */
public final class AdminService implements HttpService {
    private final Learning learning;
    private final boolean storeText;
    private final JsonBodies bodies = new JsonBodies(64 * 1024);

    public AdminService(Learning learning, boolean storeText) {
        this.learning = learning;
        this.storeText = storeText;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/tenants", this::tenants)
                .get("/tenants/{tenant}/exchanges", this::exchanges)
                .delete("/tenants/{tenant}/exchanges", this::forgetTenant)
                .delete("/tenants/{tenant}/exchanges/{id}", this::forgetExchange)
                .get("/checkpoints", this::checkpoints)
                .post("/reload_models", this::reload)
                .post("/rollback", this::rollback);
    }

    private void tenants(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (TeacherMemory.TenantSummary t : learning.tenants()) {
            list.add(Json.createObjectBuilder().add("tenant", t.tenant()).add("exchanges", t.exchanges())
                    .add("first_at", t.first().toString()).add("last_at", t.last().toString()));
        }
        JsonBodies.send(res, Json.createObjectBuilder().add("tenants", list).build());
    }

    private void exchanges(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        int offset = intParam(req, "offset", 0, 0, Integer.MAX_VALUE - 1000);
        int limit = intParam(req, "limit", 100, 1, 1000);
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (Exchange e : learning.exchanges(tenant, offset, limit)) {
            var o = Json.createObjectBuilder()
                    .add("id", e.id())
                    .add("created_at", e.createdAt().toString())
                    .add("context", e.contextKey().substring(0, Math.min(12, e.contextKey().length())))
                    .add("model", e.model())
                    .add("prompt_chars", e.prompt().length())
                    .add("answer_bytes", e.answer().length())
                    .add("output_tokens", e.outputTokens());
            if (storeText) {
                o.add("prompt", e.prompt()).add("answer", Learning.answerText(e));
            }
            list.add(o);
        }
        JsonBodies.send(res, Json.createObjectBuilder().add("tenant", tenant)
                .add("total", learning.memory().count(tenant)).add("offset", offset)
                .add("exchanges", list).build());
    }

    private void forgetTenant(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        int n = learning.forgetTenant(tenant);
        JsonBodies.send(res, Json.createObjectBuilder().add("tenant", tenant).add("deleted", n).build());
    }

    private void forgetExchange(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        String id = req.path().pathParameters().get("id");
        if (!learning.forgetExchange(tenant, id)) {
            throw ShammahException.notFound("Tenant '" + tenant + "' has no exchange '" + id + "'");
        }
        JsonBodies.send(res, Json.createObjectBuilder().add("tenant", tenant).add("deleted", 1).add("id", id)
                .build());
    }

    private static int intParam(ServerRequest req, String name, int fallback, int min, int max) {
        var v = req.query().first(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ShammahException.invalid(name + ": must be an integer from " + min + " to " + max);
        }
    }

    private StudentModel student() {
        StudentModel s = learning.models().student().model();
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
                .add("checkpoint", m.name()).add("step", m.step()).add("examples", m.examples()).add("loss", TrainingService.finite(m.loss()))
                .add("validator_score", TrainingService.finite(m.validatorScore())).add("created_at", m.createdAt().toString())
                .add("serving", m.name().equals(serving))));
        JsonBodies.send(res, Json.createObjectBuilder().add("checkpoints", list).build());
    }

    private void reload(ServerRequest req, ServerResponse res) {
        if (learning.models().student().model() == null && learning.models().userModel() == null) {
            throw new ShammahException(ErrorType.NOT_FOUND, "No local model to reload: no student "
                    + "(model.student.enabled) and no user model (model.path)");
        }
        var out = Json.createObjectBuilder();
        if (learning.models().userModel() != null) {
            learning.models().userModel().reload();
            out.add("user_model", learning.models().userModel().directory().toString());
        }
        if (learning.models().student().model() != null) {
            learning.models().student().model().reload().ifPresentOrElse(m -> out.add("serving", m.name()),
                    () -> out.addNull("serving"));
        }
        JsonBodies.send(res, out.build());
    }

    private void rollback(ServerRequest req, ServerResponse res) {
        StudentModel s = student();
        String target = null;
        if (req.headers().contentLength().orElse(0) > 0) {
            JsonObject body = bodies.read(req, res);
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
                        .add("validator_score", TrainingService.finite(x.validatorScore())).build())
                .orElseGet(() -> Json.createObjectBuilder().addNull("serving").build());
    }
}

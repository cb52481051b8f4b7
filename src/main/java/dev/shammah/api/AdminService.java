package dev.shammah.api;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import dev.shammah.learning.Learning;
import dev.shammah.learning.LoraTrainer;
import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * Learned memory per tenant: {@code GET /admin/tenants} (ids, sizes, dates), {@code GET
 * /admin/tenants/{tenant}/exchanges?offset=&limit=} (ids, sizes, dates; prompt and answer text only with
 * {@code log.store-text}), {@code DELETE /admin/tenants/{tenant}/exchanges} (everything learned from that tenant,
 * its evidence too), {@code DELETE /admin/tenants/{tenant}/exchanges/{id}} (one) and
 * {@code GET /admin/tenants/{tenant}/training} (what {@code GET /v1/training/status} tells that tenant's own keys:
 * its evidence, for an operator).
 * Model administration: {@code GET /admin/checkpoints} (the LoRA adapters kept for the user's model),
 * {@code POST /admin/reload_models} (load what {@code data-dir/lora/PROMOTED} names, and re-read a TorchScript
 * {@code model.path}, beside what serves; swapped atomically, answers in flight finish on the old one) and
 * {@code POST /admin/rollback} (serve a kept adapter again, by default the one before the serving one).
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
                .get("/tenants/{tenant}/training", (req, res) -> JsonBodies.send(res,
                        TrainingService.json(learning.status(req.path().pathParameters().get("tenant")))))
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
                    .add("answer_bytes", e.answer().length())
                    .add("output_tokens", e.outputTokens());
            // A shared store keeps no prompt text without log.store-text: then there is nothing to count.
            if (e.prompt() != null) {
                o.add("prompt_chars", e.prompt().length());
            }
            if (storeText) {
                o.add("answer", Learning.answerText(e));
                if (e.prompt() != null) {
                    o.add("prompt", e.prompt());
                }
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

    private LoraTrainer lora() {
        var lora = learning.lora();
        if (lora == null) {
            throw new ShammahException(ErrorType.NOT_FOUND, "No LoRA adapters: set model.path to a Hugging Face "
                    + "model folder and model.lora.enabled: true");
        }
        return lora;
    }

    private void checkpoints(ServerRequest req, ServerResponse res) throws Exception {
        var lora = lora();
        JsonArrayBuilder list = Json.createArrayBuilder();
        String serving = lora.serving();
        for (String name : lora.adapters()) {
            list.add(Json.createObjectBuilder().add("checkpoint", name).add("serving", name.equals(serving)));
        }
        JsonBodies.send(res, Json.createObjectBuilder().add("checkpoints", list).add("serving", serving).build());
    }

    private void reload(ServerRequest req, ServerResponse res) throws Exception {
        var models = learning.models();
        if (learning.lora() == null && models.userModel() == null) {
            throw new ShammahException(ErrorType.NOT_FOUND, "No local model to reload: no LoRA adapters "
                    + "(model.lora.enabled) and no TorchScript model (model.path)");
        }
        var out = Json.createObjectBuilder();
        if (models.userModel() != null) {
            models.userModel().reload();
            out.add("user_model", models.userModel().directory().toString());
        }
        if (learning.lora() != null) {
            out.add("serving", learning.lora().reload());
        }
        JsonBodies.send(res, out.build());
    }

    private void rollback(ServerRequest req, ServerResponse res) throws Exception {
        var lora = lora();
        String target = null;
        if (ContentLength.of(req.headers()) > 0) {
            JsonObject body = bodies.read(req, res);
            if (body.get("checkpoint") instanceof JsonString name) {
                target = name.getString();
            } else if (body.containsKey("checkpoint")) {
                throw ShammahException.invalid("checkpoint: Input should be a valid string");
            }
        }
        try {
            JsonBodies.send(res, Json.createObjectBuilder().add("serving", lora.rollback(target)).build());
        } catch (IllegalArgumentException e) {
            throw ShammahException.notFound(e.getMessage());
        }
    }
}

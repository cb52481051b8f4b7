package dev.shammah.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.shammah.errors.ShammahException;
import dev.shammah.upstream.ModelCatalog;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import dev.shammah.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * {@code GET /v1/models} (Anthropic's list shape and pagination) and {@code GET /v1/models/{id}}; an OpenAI client
 * gets OpenAI's shapes ({@code {"object":"list","data":[{"id","object":"model","created","owned_by"}]}}). Which
 * client asks is told by a header both SDK families send one way or the other: Anthropic's send
 * {@code anthropic-version} on every request, OpenAI's never do and send their key as {@code Authorization:
 * Bearer} — so Bearer without {@code anthropic-version} is an OpenAI client.
 */
public final class ModelsService implements HttpService {
    private final ModelCatalog catalog;

    public ModelsService(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/models", this::list)
                .get("/models/{id}", this::one);
    }

    private void list(ServerRequest req, ServerResponse res) {
        var q = req.query();
        String before = q.first("before_id").orElse(null);
        String after = q.first("after_id").orElse(null);
        int limit;
        try {
            limit = Integer.parseInt(q.first("limit").orElse("20"));
        } catch (NumberFormatException e) {
            throw ShammahException.invalid("limit: Input should be a valid integer");
        }
        if (openAiClient(req)) {
            JsonArrayBuilder data = Json.createArrayBuilder();
            catalog.all().forEach(m -> data.add(openAi(m)));
            JsonBodies.send(res, Json.createObjectBuilder().add("object", "list").add("data", data).build());
            return;
        }
        JsonBodies.send(res, page(catalog.all(), before, after, limit));
    }

    /** Whether the request comes from an OpenAI-format client (see the class comment). */
    static boolean openAiClient(ServerRequest req) {
        return req.headers().first(MessagesService.ANTHROPIC_VERSION).isEmpty()
                && MessagesService.bearer(req).isPresent();
    }

    /** An Anthropic model entry in OpenAI's shape. */
    static JsonObject openAi(JsonObject model) {
        long created = 0;
        try {
            created = Instant.parse(model.getString("created_at", "")).getEpochSecond();
        } catch (DateTimeParseException e) {
            // no date: 0, as OpenAI's own list has for some entries
        }
        String id = model.getString("id", "");
        return Json.createObjectBuilder().add("id", id).add("object", "model").add("created", created)
                .add("owned_by", id.startsWith("claude") ? "anthropic" : "shammah").build();
    }

    private void one(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        JsonObject model = catalog.all().stream()
                .filter(m -> id.equals(m.getString("id", "")))
                .findFirst()
                .orElseThrow(() -> ShammahException.notFound("model: " + id));
        JsonBodies.send(res, openAiClient(req) ? openAi(model) : model);
    }

    /**
     * One page of {@code models}: the {@code limit} items after {@code afterId}, or before {@code beforeId},
     * or from the start.
     */
    static JsonObject page(List<JsonObject> models, String beforeId, String afterId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw ShammahException.invalid("limit: Input should be between 1 and 1000");
        }
        if (beforeId != null && afterId != null) {
            throw ShammahException.invalid("before_id and after_id cannot both be given");
        }
        int from;
        int to;
        boolean hasMore;
        if (afterId != null) {
            from = indexOf(models, afterId) + 1;
            to = Math.min(models.size(), from + limit);
            hasMore = to < models.size();
        } else if (beforeId != null) {
            to = indexOf(models, beforeId);
            from = Math.max(0, to - limit);
            hasMore = from > 0;
        } else {
            from = 0;
            to = Math.min(models.size(), limit);
            hasMore = to < models.size();
        }
        List<JsonObject> slice = models.subList(from, to);
        JsonArrayBuilder data = Json.createArrayBuilder();
        slice.forEach(data::add);
        return Json.createObjectBuilder()
                .add("data", data)
                .add("has_more", hasMore)
                .add("first_id", slice.isEmpty() ? JsonValue.NULL : Json.createValue(slice.get(0).getString("id")))
                .add("last_id", slice.isEmpty() ? JsonValue.NULL
                        : Json.createValue(slice.get(slice.size() - 1).getString("id")))
                .build();
    }

    private static int indexOf(List<JsonObject> models, String id) {
        for (int i = 0; i < models.size(); i++) {
            if (id.equals(models.get(i).getString("id", ""))) {
                return i;
            }
        }
        throw ShammahException.invalid("No model with id '" + id + "' in this list");
    }
}

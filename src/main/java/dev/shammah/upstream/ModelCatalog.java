package dev.shammah.upstream;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import dev.shammah.errors.ShammahException;
import io.helidon.http.Method;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The models Shammah can answer for: the upstream's list (fetched whole, cached for
 * {@code upstream.models-cache-ttl}, the stale copy kept if a refresh fails) followed by local models.
 */
public final class ModelCatalog {
    private static final int MAX_PAGES = 20;

    private final ClaudeClient upstream;
    private final List<JsonObject> localModels;
    private final Clock clock;
    private final AtomicReference<Cached> cache = new AtomicReference<>();
    private final ReentrantLock refreshLock = new ReentrantLock();

    private record Cached(Instant at, List<JsonObject> models) {
    }

    public ModelCatalog(ClaudeClient upstream, List<JsonObject> localModels, Clock clock) {
        this.upstream = upstream;
        this.localModels = List.copyOf(localModels);
        this.clock = clock;
    }

    /** Every model, upstream first (in the upstream's order, newest first), then local ones. */
    public List<JsonObject> all() {
        Map<String, JsonObject> byId = new LinkedHashMap<>();
        upstreamModels().forEach(m -> byId.put(m.getString("id", ""), m));
        localModels.forEach(m -> byId.putIfAbsent(m.getString("id", ""), m));
        return List.copyOf(byId.values());
    }

    private List<JsonObject> upstreamModels() {
        if (!upstream.canCall(ForwardedHeaders.NONE)) {
            return List.of();
        }
        Cached c = cache.get();
        if (c != null && c.at().plus(upstream.settings().modelsCacheTtl()).isAfter(clock.instant())) {
            return c.models();
        }
        // One refresh at a time; concurrent callers wait for it rather than stampeding the upstream.
        refreshLock.lock();
        try {
            Cached again = cache.get();
            if (again != c && again != null) {
                return again.models();
            }
            List<JsonObject> fresh = fetch();
            if (fresh != null) {
                cache.set(new Cached(clock.instant(), fresh));
                return fresh;
            }
            return c == null ? List.of() : c.models();
        } finally {
            refreshLock.unlock();
        }
    }

    /** The upstream's whole list following its pagination, or null if it could not be had. */
    private List<JsonObject> fetch() {
        List<JsonObject> models = new ArrayList<>();
        String after = null;
        try {
            for (int page = 0; page < MAX_PAGES; page++) {
                String path = "/v1/models?limit=1000" + (after == null ? "" : "&after_id=" + after);
                UpstreamReply reply = upstream.send(Method.GET, path, null, ForwardedHeaders.NONE);
                if (reply.status() != 200) {
                    return null;
                }
                JsonObject body = reply.json();
                for (JsonValue v : body.getJsonArray("data")) {
                    models.add(v.asJsonObject());
                }
                if (!body.getBoolean("has_more", false) || body.isNull("last_id")) {
                    return models;
                }
                after = body.getString("last_id");
            }
            return models;
        } catch (ShammahException | JsonException | ClassCastException | NullPointerException e) {
            // Unreachable, or an answer not shaped like a model list: serve what we have.
            return null;
        }
    }
}

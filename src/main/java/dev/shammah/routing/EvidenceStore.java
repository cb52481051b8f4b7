package dev.shammah.routing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.json.Json;
import dev.shammah.persist.AtomicFiles;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Keeps the router's {@link Evidence} in {@code data-dir/evidence.json}, replaced atomically
 * ({@link AtomicFiles}). The band statistics of earlier versions ({@code router.json}) cannot vouch for
 * anything under the new rules and are not read.
 */
public final class EvidenceStore {
    private static final Logger LOG = Logger.getLogger(EvidenceStore.class.getName());
    private static final int VERSION = 2;

    private final Path file;

    public EvidenceStore(Path dataDir) {
        this.file = dataDir.resolve("evidence.json");
    }

    public Path file() {
        return file;
    }

    /** What was saved, or no evidence when nothing (or something unreadable) is there. */
    public Evidence load() {
        Evidence evidence = new Evidence();
        if (!Files.isRegularFile(file)) {
            return evidence;
        }
        try {
            JsonObject json = Json.createReader(new StringReader(Files.readString(file))).readObject();
            if (json.getInt("version", 0) != VERSION) {
                throw new IllegalStateException("version " + json.get("version"));
            }
            for (Map.Entry<String, JsonValue> t : json.getJsonObject("tenants").entrySet()) {
                JsonObject o = t.getValue().asJsonObject();
                List<String> blocked = new ArrayList<>();
                o.getJsonArray("blocked").forEach(v -> blocked.add(((JsonString) v).getString()));
                List<Double> agreement = new ArrayList<>();
                o.getJsonArray("agreement").forEach(v -> agreement.add(((JsonNumber) v).doubleValue()));
                // Files written before rewordings were observed have none.
                JsonObject rewordings = o.containsKey("rewordings") ? o.getJsonObject("rewordings") : JsonValue.EMPTY_JSON_OBJECT;
                evidence.load(t.getKey(), counts(o.getJsonObject("kinds")), counts(o.getJsonObject("exchanges")),
                        counts(rewordings), blocked, count(o.getJsonArray("stability")), agreement);
            }
        } catch (IOException | RuntimeException e) {
            // Starting from no evidence only makes Shammah forward more until it has measured again.
            LOG.log(Level.WARNING, "Router evidence in " + file + " is unreadable; starting from none ("
                    + e.getMessage() + ")");
            LOG.log(Level.FINE, "unreadable evidence", e);
            return new Evidence();
        }
        return evidence;
    }

    public void save(Evidence evidence) {
        JsonObjectBuilder tenants = Json.createObjectBuilder();
        evidence.all().forEach((name, t) -> {
            JsonArrayBuilder blocked = Json.createArrayBuilder();
            t.blocked.forEach(blocked::add);
            JsonArrayBuilder agreement = Json.createArrayBuilder();
            t.agreement().forEach(a -> agreement.add(Math.round(a * 10000) / 10000.0));
            tenants.add(name, Json.createObjectBuilder()
                    .add("kinds", counts(t.kinds))
                    .add("exchanges", counts(t.exchanges))
                    .add("rewordings", counts(t.rewordings()))
                    .add("blocked", blocked)
                    .add("stability", count(t.stability))
                    .add("agreement", agreement));
        });
        String json = Json.createObjectBuilder().add("version", VERSION).add("tenants", tenants).build().toString();
        try {
            AtomicFiles.write(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save router evidence to " + file, e);
        }
    }

    private static Map<String, Evidence.Counts> counts(JsonObject o) {
        Map<String, Evidence.Counts> out = new HashMap<>();
        o.forEach((k, v) -> out.put(k, count(v.asJsonArray())));
        return out;
    }

    private static Evidence.Counts count(JsonArray a) {
        return new Evidence.Counts(a.getJsonNumber(0).longValue(), a.getJsonNumber(1).longValue());
    }

    private static JsonObjectBuilder counts(Map<String, Evidence.Counts> m) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        m.forEach((k, c) -> b.add(k, count(c)));
        return b;
    }

    private static JsonArrayBuilder count(Evidence.Counts c) {
        return Json.createArrayBuilder().add(c.passes()).add(c.fails());
    }
}

package dev.shammah.routing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.json.Json;
import dev.shammah.persist.AtomicFiles;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** Keeps the router's statistics in {@code data-dir/router.json}, replaced atomically ({@link AtomicFiles}). */
public final class RouterStore {
    private static final Logger LOG = Logger.getLogger(RouterStore.class.getName());

    private final Path file;

    public RouterStore(Path dataDir) {
        this.file = dataDir.resolve("router.json");
    }

    /** What was saved, or empty statistics when nothing (or something unreadable) is there. */
    public Loaded load() {
        if (!Files.isRegularFile(file)) {
            return new Loaded(RouterStats.empty(), Map.of());
        }
        try {
            JsonObject json = Json.createReader(new StringReader(Files.readString(file))).readObject();
            RouterStats stats = new RouterStats(ints(json.getJsonArray("passes")), ints(json.getJsonArray("fails")),
                    json.getJsonNumber("margin").doubleValue());
            if (stats.passes().length != RouterStats.BANDS || stats.fails().length != RouterStats.BANDS) {
                throw new JsonException("band count changed");
            }
            Map<String, int[]> entries = new HashMap<>();
            json.getJsonObject("entries").forEach((id, v) -> entries.put(id, ints(v.asJsonArray())));
            return new Loaded(stats, entries);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Router state in " + file + " is unreadable; starting from no evidence", e);
            return new Loaded(RouterStats.empty(), Map.of());
        }
    }

    /** Saved statistics. */
    public record Loaded(RouterStats stats, Map<String, int[]> entries) {
    }

    public void save(RouterStats stats, Map<String, int[]> entries) {
        JsonObjectBuilder e = Json.createObjectBuilder();
        entries.forEach((id, v) -> e.add(id, Json.createArrayBuilder().add(v[0]).add(v[1])));
        String json = Json.createObjectBuilder()
                .add("version", 1)
                .add("passes", array(stats.passes()))
                .add("fails", array(stats.fails()))
                .add("margin", stats.margin())
                .add("entries", e)
                .build().toString();
        try {
            AtomicFiles.write(file, json);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot save router state to " + file, ex);
        }
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getInt(i);
        }
        return out;
    }

    private static JsonArrayBuilder array(int[] v) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        for (int x : v) {
            b.add(x);
        }
        return b;
    }
}

package dev.shammah.metrics;

import jakarta.json.JsonObjectBuilder;

/** One line of the JSONL request log. */
public interface LogLine {
    java.time.Instant timestamp();

    String toJson();

    static void addNullable(JsonObjectBuilder b, String name, String value) {
        if (value == null) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }

    static void addOptional(JsonObjectBuilder b, String name, long value) {
        if (value < 0) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }
}

package dev.shammah.metrics;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Map;

import dev.shammah.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

/**
 * One log line's JSON object, written field by field straight to text: a line on every request is not worth
 * building a {@code JsonObject} (a map of wrapped values) only to print it. The text is the same as the built
 * object's: fields in the order written, numbers with a fraction as {@link BigDecimal#valueOf(double)} prints them.
 */
final class JsonLine {
    private static final JsonGeneratorFactory FACTORY = Json.createGeneratorFactory(Map.of());

    private final StringWriter out = new StringWriter(256);
    private final JsonGenerator g = FACTORY.createGenerator(out);

    JsonLine() {
        g.writeStartObject();
    }

    JsonLine add(String name, String value) {
        g.write(name, value);
        return this;
    }

    JsonLine add(String name, long value) {
        g.write(name, value);
        return this;
    }

    JsonLine add(String name, boolean value) {
        g.write(name, value);
        return this;
    }

    JsonLine add(String name, double value) {
        g.write(name, BigDecimal.valueOf(value));
        return this;
    }

    /** The value, or null when there is none. */
    JsonLine nullable(String name, String value) {
        if (value == null) {
            g.writeNull(name);
        } else {
            g.write(name, value);
        }
        return this;
    }

    /** The value, or null when it is negative (unknown). */
    JsonLine optional(String name, long value) {
        if (value < 0) {
            g.writeNull(name);
        } else {
            g.write(name, value);
        }
        return this;
    }

    /** The value only when there is one. */
    JsonLine ifPresent(String name, String value) {
        if (value != null) {
            g.write(name, value);
        }
        return this;
    }

    String text() {
        g.writeEnd();
        g.close();
        return out.toString();
    }
}

package dev.shammah.metrics;

/** One line of a JSONL log (request, audit): written with {@link JsonLine}. */
public interface LogLine {
    java.time.Instant timestamp();

    String toJson();
}

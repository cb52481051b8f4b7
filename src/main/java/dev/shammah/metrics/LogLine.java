package dev.shammah.metrics;

import java.time.Instant;

/** One line of a JSONL log (request, audit): written with {@link JsonLine}. */
public interface LogLine {
    Instant timestamp();

    String toJson();
}

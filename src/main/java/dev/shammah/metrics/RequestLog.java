package dev.shammah.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * Appends one JSON line per Messages call to {@code data-dir/metrics/YYYY-MM-DD.jsonl} (UTC dates).
 * A JVM lock orders threads (a FileLock is held per JVM, not per thread) and an OS file lock orders
 * processes, so a daemon and a {@code query} writing the same day's file never interleave lines.
 */
public final class RequestLog {
    private static final Logger LOG = Logger.getLogger(RequestLog.class.getName());

    private final Path directory;
    /**
     * One lock for the whole JVM, not per instance: a FileLock belongs to the JVM, and a second channel asking
     * for it while another holds it gets OverlappingFileLockException instead of waiting.
     */
    private static final ReentrantLock LOCK = new ReentrantLock();

    public RequestLog(Path dataDir) {
        this.directory = dataDir.resolve("metrics");
    }

    public Path fileFor(java.time.Instant when) {
        return directory.resolve(when.atZone(ZoneOffset.UTC).toLocalDate() + ".jsonl");
    }

    /** Writes the entry; a failure is logged, never thrown: losing a log line must not fail a request. */
    public void append(RequestLogEntry e) {
        byte[] line = (toJson(e) + "\n").getBytes(StandardCharsets.UTF_8);
        LOCK.lock();
        try {
            Files.createDirectories(directory);
            try (FileChannel ch = FileChannel.open(fileFor(e.timestamp()), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                 FileLock ignored = ch.lock()) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException | RuntimeException ex) {
            LOG.log(Level.WARNING, "Could not append to request log in " + directory, ex);
        } finally {
            LOCK.unlock();
        }
    }

    static String toJson(RequestLogEntry e) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("timestamp", e.timestamp().toString())
                .add("request_id", e.requestId());
        if (e.sessionId() != null) {
            b.add("session_id", e.sessionId());
        } else {
            b.addNull("session_id");
        }
        if (e.promptSha256() != null) {
            b.add("prompt_sha256", e.promptSha256());
        } else {
            b.addNull("prompt_sha256");
        }
        b.add("model", e.model() == null ? "" : e.model())
                .add("route", e.route())
                .add("stream", e.stream())
                .add("status", e.status())
                .add("latency_ms", e.latencyMs());
        addOptional(b, "upstream_ms", e.upstreamMs());
        addOptional(b, "input_tokens", e.inputTokens());
        addOptional(b, "output_tokens", e.outputTokens());
        if (e.error() != null) {
            b.add("error", e.error());
        }
        return b.build().toString();
    }

    private static void addOptional(JsonObjectBuilder b, String name, long value) {
        if (value < 0) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }
}

package dev.shammah.metrics;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The audit trail, apart from the request log: who (a key id, never the key) did what, with which outcome and
 * how many bytes — no prompt text. {@code data-dir/audit/YYYY-MM-DD.jsonl}, appended like the request log.
 */
public final class AuditLog implements AutoCloseable {
    private final RequestLog files;

    public AuditLog(Path dataDir) {
        // RequestLog's locking append, pointed at another directory.
        this.files = new RequestLog(dataDir, "audit");
    }

    /**
     * One audited call.
     *
     * @param caller   key id or client address
     * @param method   HTTP method
     * @param route    route template
     * @param session  session id, or null
     * @param decision {@code local}, {@code forward}, or null when no answer was produced
     * @param status   HTTP status
     * @param bytesIn  request body bytes (-1 unknown)
     * @param bytesOut response body bytes (-1 when streamed or unknown)
     */
    public record Entry(Instant timestamp, String requestId, String caller, String method, String route,
                        String session, String decision, int status, long bytesIn, long bytesOut) implements LogLine {
        @Override
        public String toJson() {
            return new JsonLine()
                    .add("timestamp", timestamp.toString())
                    .add("request_id", requestId)
                    .add("caller", caller)
                    .add("method", method)
                    .add("route", route)
                    .add("status", status)
                    .nullable("session_id", session)
                    .nullable("decision", decision)
                    .optional("bytes_in", bytesIn)
                    .optional("bytes_out", bytesOut)
                    .text();
        }
    }

    public void append(Entry e) {
        files.append(e);
    }

    /** Writes what is queued before returning (lines are written off the request's thread). */
    public void flush() {
        files.flush();
    }

    @Override
    public void close() {
        files.close();
    }
}

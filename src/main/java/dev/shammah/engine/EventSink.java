package dev.shammah.engine;

import java.util.Map;

import dev.shammah.upstream.SseEvent;

/**
 * Where a streamed answer goes: an HTTP response for the daemon, the terminal for the REPL. The engine
 * opens it once it knows the answer will stream, then sends events in order.
 */
public interface EventSink {
    /** Commits the stream (for HTTP: status 200, {@code text/event-stream}, these headers). */
    void open(Map<String, String> headers);

    /**
     * Sends one event and flushes it.
     *
     * @throws ClientGoneException when the receiver has gone away; the engine then cancels the upstream
     */
    void send(SseEvent event);

    /** Thrown by {@link #send} when the client disconnected. */
    final class ClientGoneException extends RuntimeException {
        public ClientGoneException(Throwable cause) {
            super("client disconnected", cause, false, false);
        }
    }
}

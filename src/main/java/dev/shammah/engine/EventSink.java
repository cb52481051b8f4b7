package dev.shammah.engine;

import java.util.Map;

import dev.shammah.upstream.SseEvent;

/**
 * Where a streamed answer goes: an HTTP response for the daemon, the terminal for the REPL. The engine
 * opens it once it knows the answer will stream, then sends events in order.
 */
public interface EventSink {
    /** Commits the stream (for HTTP: status 200, {@code text/event-stream}, headers from {@code head}). */
    void open(Head head);

    /**
     * Sends one event and flushes it.
     *
     * @throws ClientGoneException when the receiver has gone away; the engine then cancels the upstream
     */
    void send(SseEvent event);

    /**
     * What is known when a stream starts.
     *
     * @param sessionId       the session the turn is recorded in
     * @param route           how it is routed
     * @param upstreamHeaders the upstream's headers to pass on (empty for local answers)
     * @param upstreamNanos   how long the upstream took to start its stream, or -1 for a local answer
     */
    record Head(String sessionId, EngineReply.RouteInfo route, Map<String, String> upstreamHeaders,
                long upstreamNanos) {
        public Head(String sessionId, EngineReply.RouteInfo route, Map<String, String> upstreamHeaders) {
            this(sessionId, route, upstreamHeaders, -1);
        }

        public Head {
            upstreamHeaders = Map.copyOf(upstreamHeaders);
        }
    }

    /** Thrown by {@link #send} when the client disconnected. */
    final class ClientGoneException extends RuntimeException {
        public ClientGoneException(Throwable cause) {
            super("client disconnected", cause, false, false);
        }
    }
}

package dev.shammah.engine;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.errors.ErrorType;
import dev.shammah.json.Json;
import dev.shammah.upstream.MessageAssembler;
import dev.shammah.upstream.SseEvent;
import dev.shammah.upstream.UpstreamStream;

/**
 * Relays an upstream SSE stream to a sink event by event, assembling the final message as it goes. A cut
 * upstream ends the client's stream with an {@code error} event (the status line has long been sent); a client
 * that goes away stops the relay, and closing the stream then drops the upstream connection.
 */
final class UpstreamRelay {
    private static final Logger LOG = Logger.getLogger(UpstreamRelay.class.getName());

    private UpstreamRelay() {
    }

    /**
     * @param status    200, {@link TurnLog#CLIENT_CLOSED}, or the error status of a stream that broke
     * @param assembler the message as far as it came
     */
    record Result(int status, MessageAssembler assembler) {
        boolean whole() {
            return status == 200 && assembler.complete() && assembler.error() == null;
        }
    }

    static Result pump(UpstreamStream stream, EventSink sink, String requestId) {
        MessageAssembler assembler = new MessageAssembler();
        int status = 200;
        try {
            while (true) {
                SseEvent event;
                try {
                    event = stream.next();
                } catch (IOException | RuntimeException e) {
                    // Helidon reports a cut connection as IOException or as its own unchecked exceptions.
                    LOG.log(Level.WARNING, requestId + ": upstream stream broke: " + e);
                    LOG.log(Level.FINE, "upstream stream broke", e);
                    status = broken(sink, "Upstream stream broke off before the answer was complete");
                    break;
                }
                if (event == null) {
                    break;
                }
                assembler.accept(event);
                sink.send(event);
            }
        } catch (EventSink.ClientGoneException e) {
            LOG.fine(() -> requestId + ": client went away mid-stream; upstream call cancelled");
            return new Result(TurnLog.CLIENT_CLOSED, assembler);
        }
        if (status == 200 && !assembler.complete() && assembler.error() == null) {
            // Ended cleanly but without message_stop: a proxy cut it short. Not a whole answer.
            status = broken(sink, "Upstream stream broke off: it ended before message_stop");
        }
        if (status == 200 && assembler.error() != null) {
            status = ErrorType.API_ERROR.status();
        }
        return new Result(status, assembler);
    }

    /** Tells the client the way Anthropic reports stream failures: an error event. */
    private static int broken(EventSink sink, String message) {
        try {
            sink.send(new SseEvent("error", Json.createObjectBuilder()
                    .add("type", "error")
                    .add("error", Json.createObjectBuilder().add("type", "api_error").add("message", message))
                    .build().toString()));
        } catch (EventSink.ClientGoneException ignored) {
            // nobody left to tell
        }
        return ErrorType.BAD_GATEWAY.status();
    }
}

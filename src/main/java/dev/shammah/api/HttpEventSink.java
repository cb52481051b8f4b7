package dev.shammah.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import dev.shammah.engine.EventSink;
import dev.shammah.upstream.SseEvent;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes SSE to the HTTP response by hand, one flush per event. Helidon 4.2's SseSink sends an unframed
 * body that ends by closing the socket, which some clients (Helidon's own) cannot read; writing to the
 * output stream gives a chunked keep-alive response every client reads.
 */
final class HttpEventSink implements EventSink, AutoCloseable {
    private final ServerResponse res;
    private final RequestTiming timing;
    private OutputStream out;

    HttpEventSink(ServerResponse res, RequestTiming timing) {
        this.res = res;
        this.timing = timing;
    }

    boolean opened() {
        return out != null;
    }

    @Override
    public void open(Head head) {
        res.status(Status.OK_200);
        // A stream's header can only say what Shammah spent before its first byte: until the upstream's headers.
        ShammahHeaders.apply(res, head.sessionId(), head.route(), head.upstreamHeaders(),
                timing.overheadMsNow(head.upstreamNanos()));
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        // nginx buffers proxied responses unless told otherwise; events must reach the client as they come.
        res.header(HeaderNames.create("x-accel-buffering"), "no");
        out = res.outputStream();
    }

    @Override
    public void send(SseEvent event) {
        try {
            out.write(event.encode().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            throw new ClientGoneException(e);
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException | UncheckedIOException e) {
                // the client is gone; nothing left to finish
            }
        }
    }
}

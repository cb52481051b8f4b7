package dev.shammah.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import io.helidon.webclient.api.HttpClientResponse;

/**
 * The upstream's answer to a streaming request: either an open event stream, or (when the upstream refused
 * before streaming, e.g. 400 or 429) a complete {@link UpstreamReply} to return as JSON.
 */
public final class UpstreamStream implements AutoCloseable {
    private final UpstreamReply refusal;
    private final HttpClientResponse response;
    private final SseReader events;
    private final Map<String, String> headers;

    private UpstreamStream(UpstreamReply refusal, HttpClientResponse response, InputStream body,
                           Map<String, String> headers) {
        this.refusal = refusal;
        this.response = response;
        this.events = response == null ? null : new SseReader(body);
        this.headers = Map.copyOf(headers);
    }

    static UpstreamStream refused(UpstreamReply reply) {
        return new UpstreamStream(reply, null, null, reply.headers());
    }

    static UpstreamStream open(HttpClientResponse response, InputStream body, Map<String, String> headers) {
        return new UpstreamStream(null, response, body, headers);
    }

    /** The refusal, or null when the stream is open. */
    public UpstreamReply refusal() {
        return refusal;
    }

    /** Headers for the client (upstream request id, rate-limit headers). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The next event, or null when the upstream has finished. */
    public SseEvent next() throws IOException {
        return events.next();
    }

    /**
     * Ends the call. On a stream that has not finished this closes the connection (Helidon does not drain
     * a chunked body it has not read), which is how a client's disconnect cancels the upstream generation.
     */
    @Override
    public void close() {
        if (response != null) {
            response.close();
        }
    }
}

package dev.shammah.engine;

import dev.shammah.upstream.ForwardedHeaders;

/**
 * One request for an answer, from any door (HTTP, query, REPL).
 *
 * @param request   the checked request
 * @param headers   client headers to pass upstream
 * @param requestId our request id, for logs
 * @param query     the client's query string ({@code ?beta=true} from Claude Code), forwarded as is; "" if none
 */
public record Turn(MessagesRequest request, ForwardedHeaders headers, String requestId, String query) {
    public Turn(MessagesRequest request, ForwardedHeaders headers, String requestId) {
        this(request, headers, requestId, "");
    }
}

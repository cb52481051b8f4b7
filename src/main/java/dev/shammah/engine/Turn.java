package dev.shammah.engine;

import dev.shammah.upstream.ForwardedHeaders;

/**
 * One request for an answer, from any door (HTTP, query, REPL).
 *
 * @param request   the checked request
 * @param headers   client headers to pass upstream
 * @param requestId our request id, for logs
 */
public record Turn(MessagesRequest request, ForwardedHeaders headers, String requestId) {
}

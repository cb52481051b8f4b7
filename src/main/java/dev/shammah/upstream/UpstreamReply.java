package dev.shammah.upstream;

import java.time.Duration;
import java.util.Map;

/**
 * What the upstream answered.
 *
 * @param status  HTTP status
 * @param body    the raw body
 * @param headers response headers a client should see (request-id, retry-after, rate-limit headers)
 * @param latency time from sending to having the whole body
 */
public record UpstreamReply(int status, byte[] body, Map<String, String> headers, Duration latency) {
    public UpstreamReply {
        headers = Map.copyOf(headers);
    }
}

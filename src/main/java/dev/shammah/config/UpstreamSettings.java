package dev.shammah.config;

import java.net.URI;
import java.time.Duration;

/**
 * @param baseUrl          the Anthropic API root, e.g. https://api.anthropic.com
 * @param apiKey           key sent as {@code x-api-key}; empty when none is configured
 * @param timeout          longest wait for a whole upstream answer
 * @param connectTimeout   longest wait to open a connection
 * @param anthropicVersion {@code anthropic-version} sent when the client sends none
 * @param forwardClientKey send the client's own key upstream instead of {@code apiKey} when it sent one
 * @param maxRetries       retries of transient failures (connect errors, 502/503/504/529) before any byte
 *                         has gone to the client
 * @param retryDelay       base of the exponential backoff between retries (full jitter)
 * @param modelsCacheTtl   how long the upstream's model list is reused
 * @param breakerVolume    calls the circuit breaker looks at
 * @param breakerErrorRatio percentage of failed calls among them that opens it
 * @param breakerDelay     how long it stays open before letting a trial call through
 */
public record UpstreamSettings(URI baseUrl, String apiKey, Duration timeout, Duration connectTimeout,
                               String anthropicVersion, boolean forwardClientKey, int maxRetries,
                               Duration retryDelay, Duration modelsCacheTtl, int breakerVolume,
                               int breakerErrorRatio, Duration breakerDelay) {
    public boolean hasApiKey() {
        return !apiKey.isBlank();
    }

    @Override
    public String toString() {
        // Keys never reach logs, not even through a record's toString.
        return "UpstreamSettings[baseUrl=" + baseUrl + ", apiKey=" + (hasApiKey() ? "<set>" : "<none>")
                + ", timeout=" + timeout + ", connectTimeout=" + connectTimeout
                + ", anthropicVersion=" + anthropicVersion + ", forwardClientKey=" + forwardClientKey
                + ", maxRetries=" + maxRetries + ", retryDelay=" + retryDelay + ", modelsCacheTtl=" + modelsCacheTtl
                + "]";
    }
}

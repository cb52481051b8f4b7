package dev.shammah.config;

import java.net.URI;
import java.time.Duration;

/**
 * @param baseUrl          the Anthropic API root, e.g. https://api.anthropic.com
 * @param apiKey           key sent as {@code x-api-key}; empty when none is configured
 * @param timeout          longest wait for a whole upstream answer
 * @param connectTimeout   longest wait to open a connection
 * @param anthropicVersion {@code anthropic-version} sent when the client sends none
 */
public record UpstreamSettings(URI baseUrl, String apiKey, Duration timeout, Duration connectTimeout,
                               String anthropicVersion) {
    public boolean hasApiKey() {
        return !apiKey.isBlank();
    }

    @Override
    public String toString() {
        // Keys never reach logs, not even through a record's toString.
        return "UpstreamSettings[baseUrl=" + baseUrl + ", apiKey=" + (hasApiKey() ? "<set>" : "<none>")
                + ", timeout=" + timeout + ", connectTimeout=" + connectTimeout
                + ", anthropicVersion=" + anthropicVersion + "]";
    }
}

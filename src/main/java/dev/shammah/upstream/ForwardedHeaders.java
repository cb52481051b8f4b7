package dev.shammah.upstream;

/**
 * Request headers from the client that the upstream must see.
 *
 * @param anthropicVersion the client's {@code anthropic-version}, or null to send the configured default
 * @param anthropicBeta    the client's {@code anthropic-beta} (comma list), or null
 * @param clientKey        the client's own API key, or null; sent upstream only with
 *                         {@code upstream.forward-client-key}
 * @param clientUsedBearer whether the client sent its key as {@code Authorization: Bearer} (forwarded the same way)
 */
public record ForwardedHeaders(String anthropicVersion, String anthropicBeta, String clientKey,
                               boolean clientUsedBearer) {
    public static final ForwardedHeaders NONE = new ForwardedHeaders(null, null, null, false);
}

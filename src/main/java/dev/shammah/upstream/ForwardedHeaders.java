package dev.shammah.upstream;

/**
 * Request headers from the client that the upstream must see.
 *
 * @param anthropicVersion the client's {@code anthropic-version}, or null to send the configured default
 * @param anthropicBeta    the client's {@code anthropic-beta} (comma list), or null
 */
public record ForwardedHeaders(String anthropicVersion, String anthropicBeta) {
    public static final ForwardedHeaders NONE = new ForwardedHeaders(null, null);
}

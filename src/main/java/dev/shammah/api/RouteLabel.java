package dev.shammah.api;

/**
 * The route template a path belongs to, for metric labels: a label per session id would make the
 * Prometheus series count grow without bound.
 */
final class RouteLabel {
    private RouteLabel() {
    }

    static String of(String path) {
        if (path.startsWith("/v1/session/")) {
            return "/v1/session/{id}";
        }
        if (path.startsWith("/v1/models/")) {
            return "/v1/models/{id}";
        }
        return switch (path) {
            case "/v1/messages", "/v1/messages/count_tokens", "/v1/chat/completions", "/v1/models", "/health",
                 "/metrics" -> path;
            default -> path.startsWith("/health/") ? "/health/*" : (path.startsWith("/metrics/") ? "/metrics/*" : "other");
        };
    }
}

package dev.shammah.errors;

/**
 * The Anthropic error types with the HTTP status each one travels with.
 * Anthropic documents 400/401/402/403/404/413/429/500/529; 502, 503 and 504 are ours (upstream answered
 * nonsense, no upstream configured, upstream timed out) and use {@code api_error}, the type Anthropic's SDKs treat as a server-side failure.
 */
public enum ErrorType {
    INVALID_REQUEST(400, "invalid_request_error"),
    AUTHENTICATION(401, "authentication_error"),
    /** A tenant's teacher budget for the period is spent: forwarding stops, local answers go on. */
    BILLING(402, "billing_error"),
    PERMISSION(403, "permission_error"),
    NOT_FOUND(404, "not_found_error"),
    /** The client stopped sending its request before the end (an idle or cut upload). */
    REQUEST_TIMEOUT(408, "invalid_request_error"),
    /** Another turn of the same session is still being answered. */
    CONFLICT(409, "invalid_request_error"),
    REQUEST_TOO_LARGE(413, "request_too_large"),
    RATE_LIMIT(429, "rate_limit_error"),
    /** The client went away before its request was read (nginx's 499): nobody reads the answer, nothing failed. */
    CLIENT_CLOSED(499, "invalid_request_error"),
    API_ERROR(500, "api_error"),
    BAD_GATEWAY(502, "api_error"),
    UNAVAILABLE(503, "api_error"),
    GATEWAY_TIMEOUT(504, "api_error"),
    OVERLOADED(529, "overloaded_error");

    private final int status;
    private final String wireName;

    ErrorType(int status, String wireName) {
        this.status = status;
        this.wireName = wireName;
    }

    public int status() {
        return status;
    }

    public String wireName() {
        return wireName;
    }

    /** The type an upstream status maps to, for upstream errors whose body we could not read. */
    public static ErrorType forStatus(int status) {
        for (ErrorType t : values()) {
            if (t.status == status) {
                return t;
            }
        }
        return status >= 500 ? API_ERROR : INVALID_REQUEST;
    }
}

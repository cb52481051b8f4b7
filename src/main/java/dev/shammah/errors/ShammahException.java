package dev.shammah.errors;

import java.util.HashMap;
import java.util.Map;

/**
 * A failure that a client should see as an Anthropic error. Any room may throw it; {@code api.ErrorResponses}
 * is the one place that turns it into JSON.
 */
public class ShammahException extends RuntimeException {
    private final ErrorType type;
    private final Map<String, String> headers;

    public ShammahException(ErrorType type, String message) {
        this(type, message, Map.of(), null);
    }

    public ShammahException(ErrorType type, String message, Throwable cause) {
        this(type, message, Map.of(), cause);
    }

    public ShammahException(ErrorType type, String message, Map<String, String> headers, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.headers = Map.copyOf(headers);
    }

    public ErrorType type() {
        return type;
    }

    /** Extra response headers, e.g. {@code retry-after} on a 429. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The same error with one more response header. */
    public ShammahException withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new ShammahException(type, getMessage(), more, getCause());
    }

    public static ShammahException invalid(String message) {
        return new ShammahException(ErrorType.INVALID_REQUEST, message);
    }

    public static ShammahException notFound(String message) {
        return new ShammahException(ErrorType.NOT_FOUND, message);
    }
}

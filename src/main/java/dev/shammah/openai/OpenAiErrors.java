package dev.shammah.openai;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.shammah.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Errors as OpenAI clients read them: {@code {"error":{"message","type","param","code"}}} with the status of the
 * Anthropic error they stand for (OpenAI's SDKs choose their exception by status), except 529 "overloaded", which
 * no OpenAI client knows: it is 503. {@code param} is the parameter a message starts with
 * ({@code messages[1].content: …}), {@code type} and {@code code} OpenAI's names for the failure.
 */
public final class OpenAiErrors {
    /** Where OpenAI's format is spoken: errors under it take this shape. */
    public static final String PATH_PREFIX = "/v1/chat/";
    private static final Pattern PARAM = Pattern.compile("^([A-Za-z_][A-Za-z0-9_.\\[\\]]*): ");

    private OpenAiErrors() {
    }

    /** Whether a request path speaks OpenAI's format. */
    public static boolean speaksOpenAi(String path) {
        return path.startsWith(PATH_PREFIX);
    }

    /** The status an OpenAI client is sent for an Anthropic error's status. */
    public static int status(int status) {
        return status == 529 ? 503 : status;
    }

    /** The whole error body. */
    public static JsonObject body(String anthropicType, String message, int status) {
        return Json.createObjectBuilder().add("error", error(anthropicType, message, status)).build();
    }

    /** An Anthropic error response's body (or whatever an upstream sent) in OpenAI's shape. */
    public static JsonObject fromAnthropic(JsonObject body, int status) {
        JsonObject e = body.get("error") instanceof JsonObject o ? o : null;
        String type = e == null ? "api_error" : e.getString("type", "api_error");
        String message = e == null ? "upstream error (status " + status + ")" : e.getString("message", "");
        return body(type, message, status);
    }

    static JsonObjectBuilder error(String anthropicType, String message, int status) {
        Matcher m = PARAM.matcher(message);
        JsonObjectBuilder b = Json.createObjectBuilder().add("message", message).add("type", type(status));
        if (m.find()) {
            b.add("param", m.group(1));
        } else {
            b.addNull("param");
        }
        String code = code(anthropicType, status);
        if (code == null) {
            b.addNull("code");
        } else {
            b.add("code", code);
        }
        return b;
    }

    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "insufficient_quota";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static String code(String anthropicType, int status) {
        return switch (status) {
            case 401 -> "invalid_api_key";
            case 402 -> "insufficient_quota";
            case 404 -> "not_found";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_exceeded";
            case 529 -> "overloaded";
            default -> "overloaded_error".equals(anthropicType) ? "overloaded" : null;
        };
    }
}

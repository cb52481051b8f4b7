package dev.shammah.api;

import java.nio.charset.StandardCharsets;

import dev.shammah.errors.ErrorType;
import dev.shammah.openai.OpenAiErrors;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Requests the HTTP layer refuses before routing — a malformed request line or header, headers too large or too
 * many, control characters, bad {@code content-length} or {@code content-encoding}, a URI too long, bare LF line
 * ends, an HTTP/2 preface, HTTP/1.0 — get the same JSON error every other refusal gets (Anthropic's shape, or
 * OpenAI's under {@code /v1/chat/}), with a 4xx. HTTP/1.0 is answered 400 (not 505): the client's mistake, said plainly.
 */
public final class TransportErrors implements DirectHandler {
    private final long maxBodyBytes;

    /** @param maxBodyBytes {@code server.max-body-bytes}, which the HTTP layer enforces as its payload limit */
    public TransportErrors(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        Status s = status;
        String text;
        switch (eventType) {
            case HTTP_VERSION_NOT_SUPPORTED -> {
                s = Status.BAD_REQUEST_400;
                text = "Unsupported HTTP version " + safe(request.protocolVersion()) + "; use HTTP/1.1";
            }
            case PAYLOAD_TOO_LARGE -> text = "Request is too large";
            case FORBIDDEN -> text = "Forbidden";
            case INTERNAL_ERROR -> {
                // Before routing, the HTTP layer fails only on bytes it cannot parse (a method with control or
                // non-ASCII characters throws deep in its tokenizer): the request's fault, not ours.
                s = Status.BAD_REQUEST_400;
                text = "Malformed HTTP request";
            }
            default -> text = status.code() == 413 ? JsonBodies.tooLargeMessage(maxBodyBytes)
                    : status.code() == 414 ? "Request URI is too long"
                    : status.code() == 431 ? "Request headers are too large"
                    : "Malformed HTTP request" + (message == null || message.isBlank() || !plain(message) ? ""
                    : ": " + message);
        }
        if (s.code() >= 500) {
            s = Status.BAD_REQUEST_400;
        }
        String requestId = RequestId.generate().value();
        String path = request.path();
        byte[] body = ErrorResponses.body(ErrorType.forStatus(s.code()), text, requestId, s.code(),
                path != null && OpenAiErrors.speaksOpenAi(path)).toString().getBytes(StandardCharsets.UTF_8);
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        headers.set(ErrorResponses.REQUEST_ID, requestId);
        return TransportResponse.builder()
                .status(s)
                .headers(headers)
                .entity(body)
                // After a framing error the connection's state is unknown: close it.
                .keepAlive(false)
                .build();
    }

    /** A message from the HTTP layer is passed on only if it reads as prose (no class names, no request bytes). */
    private static boolean plain(String message) {
        return message.length() < 200 && !message.contains("Exception") && !message.contains("java.")
                && message.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private static String safe(String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9/. ]", "?");
    }
}

package dev.shammah.api;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.openai.OpenAiErrors;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import dev.shammah.json.Json;
import jakarta.json.JsonObject;

/**
 * The one place exceptions become error responses: Anthropic's
 * {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}}, or OpenAI's shape under
 * {@code /v1/chat/} ({@link OpenAiErrors}). Stack traces are logged once with the request id and never sent.
 */
public final class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());
    static final HeaderName REQUEST_ID = HeaderNames.create("request-id");

    private ErrorResponses() {
    }

    public static JsonObject body(ErrorType type, String message, String requestId) {
        return Json.createObjectBuilder()
                .add("type", "error")
                .add("error", Json.createObjectBuilder().add("type", type.wireName()).add("message", message))
                .add("request_id", requestId)
                .build();
    }

    /** Error handler for {@link ShammahException}: expected failures, logged without a trace. */
    public static void handle(ServerRequest req, ServerResponse res, ShammahException e) {
        String requestId = RequestId.of(req);
        if (e.type() == ErrorType.CLIENT_CLOSED) {
            LOG.fine(() -> requestId + ": " + e.getMessage());
        } else if (e.type().status() >= 500) {
            LOG.log(Level.WARNING, requestId + ": " + e.getMessage(), e.getCause());
        }
        e.headers().forEach(res::header);
        if (e.type() == ErrorType.CLIENT_CLOSED) {
            // Nobody is reading: the status is for /metrics and the access log. Writing to the reset socket
            // fails, and that failure is the expected end of this request, not something to warn about.
            try {
                send(req, res, e.type(), e.getMessage());
            } catch (UncheckedIOException | IllegalStateException gone) {
                LOG.fine(() -> requestId + ": the 499 could not be written: " + gone.getMessage());
            }
            return;
        }
        send(req, res, e.type(), e.getMessage());
    }

    /**
     * Error handler for Helidon's own HTTP exceptions: no route (404), wrong method (405), a bad request
     * line or header (400). Keeps their status and gives them our shape.
     */
    public static void http(ServerRequest req, ServerResponse res, HttpException e) {
        int status = e.status().code();
        String message = status == 404
                ? "No route for " + req.prologue().method().text() + " " + req.prologue().uriPath().path()
                : e.getMessage();
        write(res, status, ErrorType.forStatus(status), message, RequestId.of(req),
                OpenAiErrors.speaksOpenAi(req.prologue().uriPath().path()));
    }

    /** Error handler for anything else: a bug or an unforeseen failure. */
    public static void unexpected(ServerRequest req, ServerResponse res, Throwable t) {
        String requestId = RequestId.of(req);
        LOG.log(Level.SEVERE, requestId + ": unexpected failure on " + req.prologue().method().text() + " "
                + req.path().path(), t);
        send(req, res, ErrorType.API_ERROR, "Internal server error; the server log has details under request_id "
                + requestId);
    }

    /** Sends an error in the format the request's path speaks. */
    public static void send(ServerRequest req, ServerResponse res, ErrorType type, String message) {
        if (res.isSent()) {
            return;
        }
        write(res, type.status(), type, message, RequestId.of(req),
                OpenAiErrors.speaksOpenAi(req.prologue().uriPath().path()));
    }

    /** An error of {@code status} in either format (an OpenAI client is never sent 529: see {@link OpenAiErrors}). */
    private static void write(ServerResponse res, int status, ErrorType type, String message, String requestId,
                              boolean openAi) {
        res.status(Status.create(openAi ? OpenAiErrors.status(status) : status));
        // Set again: Helidon clears headers a filter set when a handler throws.
        res.header(REQUEST_ID, requestId);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body(type, message, requestId, status, openAi).toString().getBytes(StandardCharsets.UTF_8));
    }

    /** An error body in the format a path speaks: Anthropic's ({@link #body(ErrorType, String, String)}) or OpenAI's. */
    static JsonObject body(ErrorType type, String message, String requestId, int status, boolean openAi) {
        return openAi ? OpenAiErrors.body(type.wireName(), message, status) : body(type, message, requestId);
    }
}

package dev.shammah.api;

import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import dev.shammah.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/** Reads request bodies as JSON objects within a size limit, and writes JSON responses. */
public final class JsonBodies {
    /** Parsson's message for a body nested past {@code org.eclipse.parsson.maxDepth}. */
    private static final String TOO_DEEP = "Input is too deeply nested";

    private final long maxBytes;
    private final int maxDepth;
    private final Duration readTimeout;
    private final JsonParserFactory parsers;

    public JsonBodies(long maxBytes) {
        this(maxBytes, 64, Duration.ofSeconds(10));
    }

    public JsonBodies(long maxBytes, int maxDepth, Duration readTimeout) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.readTimeout = readTimeout;
        // Parsson refuses a body that reaches its limit; ours is the deepest level allowed.
        this.parsers = Json.createParserFactory(Map.of("org.eclipse.parsson.maxDepth", maxDepth + 1));
    }

    /**
     * The payload limit to give the HTTP layer for a body limit of {@code maxBytes}: a body over the limit by up to
     * as much again (at most 16 MiB more) is read to its end and thrown away before the 413 goes. Refused unread,
     * such a body was still arriving when the connection closed, and the client's TCP stack, seeing its bytes
     * refused, could reset the connection before the client read the 413 (a client that writes the whole body
     * before reading, as most do, then saw "connection reset" instead of the reason). A larger body is refused
     * unread: a client that declares gigabytes is not waited for.
     */
    public static long drainLimit(long maxBytes) {
        long more = Math.min(maxBytes, 16L * 1024 * 1024);
        return maxBytes > Long.MAX_VALUE - more ? Long.MAX_VALUE : maxBytes + more;
    }

    /**
     * The same error, answered with {@code Connection: close}: the body was not read to its end, and with that
     * header Helidon neither drains the rest (which may never come, or be framed wrong) nor keeps the connection
     * for a next request its unread bytes could not frame. A header on the response itself would not do: the
     * error reply is built afresh.
     */
    private static ShammahException closing(ShammahException e) {
        return e.withHeader(HeaderNames.CONNECTION.defaultCase(), HeaderValues.CONNECTION_CLOSE.get());
    }

    /**
     * The body as a JSON object.
     *
     * @throws ShammahException 413 over the limit, 400 for empty, non-UTF-8, malformed or non-object bodies
     */
    public JsonObject read(ServerRequest req, ServerResponse res) {
        long declared = ContentLength.of(req.headers());
        byte[] bytes;
        BodyDeadline deadline = BodyDeadline.start(readTimeout, req, res);
        // Not try-with-resources: closing the entity stream drains what is left of the body, and after a failed read
        // that is what must not happen — behind a malformed chunk size ("zz") the next line may parse as one ("abc"
        // is 2,748 bytes), and draining it waited out server.read-timeout before the 400 could go.
        InputStream in = req.content().inputStream();
        try {
            if (declared > maxBytes) {
                // The HTTP layer let it through, so it is within drainLimit: read it away before refusing.
                deadline.discard(in);
                throw tooLarge();
            }
            // Read one byte past the limit: chunked bodies declare no length, so this is how we notice.
            bytes = deadline.readUpTo(in, (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1), declared);
            if (bytes.length > maxBytes) {
                // The HTTP layer refuses a chunked body once its chunks pass drainLimit (a 413 from the read).
                deadline.discard(in);
                throw tooLarge();
            }
            in.close();
        } catch (ShammahException e) {
            // Over the limit, and read to its end: the connection can carry another request.
            throw e;
        } catch (IOException | RuntimeException e) {
            if (deadline.expired()) {
                // The 408 is already on the wire: the rest is to close the connection, whose unread bytes cannot
                // frame a next request. An error handler could not write a second response (and Helidon would
                // warn that it tried).
                throw new CloseConnectionException("request body timed out; 408 sent", e);
            }
            // The body's framing is broken or its sender gone: answer, and close rather than drain.
            throw closing(BodyReadFailure.of(e, maxBytes));
        } finally {
            deadline.finish();
        }
        if (bytes.length == 0) {
            throw ShammahException.invalid("Request body is empty; expected a JSON object");
        }
        CharBuffer text;
        try {
            // Strict decoding: bad UTF-8 is rejected rather than silently turned into U+FFFD. The decoded text is
            // what the parser reads, so the body is decoded once and parsed once.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw ShammahException.invalid("Request body is not valid UTF-8");
        }
        JsonValue value;
        try (JsonParser parser = parsers.createParser(new CharArrayReader(text.array(),
                text.arrayOffset() + text.position(), text.remaining()))) {
            parser.next();
            value = parser.getValue();
            // One value and nothing after it but whitespace: a second object or stray bytes after the first would
            // otherwise be dropped without a word while the first went upstream. The parser's look past the value
            // refuses anything else ("Expected EOF token", "Unexpected char").
            parser.hasNext();
        } catch (UnsupportedOperationException | ArithmeticException | NumberFormatException e) {
            throw tooLongNumber();
        } catch (RuntimeException e) {
            // The parser counts nesting as it goes (server.max-json-depth): a deep body is refused before it is
            // built. Parsson says so with a bare RuntimeException and this message.
            if (e.getMessage() != null && e.getMessage().startsWith(TOO_DEEP)) {
                throw ShammahException.invalid("Request body nests deeper than " + maxDepth
                        + " levels (server.max-json-depth)");
            }
            if (e instanceof JsonException || e instanceof IllegalStateException) {
                throw ShammahException.invalid("Request body is not valid JSON: " + e.getMessage());
            }
            throw e;
        }
        if (!(value instanceof JsonObject object)) {
            throw ShammahException.invalid("Request body must be a JSON object, not " + value.getValueType()
                    .toString().toLowerCase(Locale.ROOT));
        }
        return object;
    }

    /** The JSON parser refuses number literals past 1,100 characters (a cheap way to burn CPU in BigDecimal). */
    private static ShammahException tooLongNumber() {
        return ShammahException.invalid("Request body has a number literal longer than 1,100 characters");
    }

    private ShammahException tooLarge() {
        return tooLarge(maxBytes);
    }

    /** 413 for a body past {@code server.max-body-bytes}, whichever layer noticed (this reader, the HTTP layer). */
    static ShammahException tooLarge(long maxBytes) {
        return new ShammahException(ErrorType.REQUEST_TOO_LARGE, tooLargeMessage(maxBytes));
    }

    static String tooLargeMessage(long maxBytes) {
        return "Request body exceeds the limit of " + maxBytes + " bytes (server.max-body-bytes)";
    }

    public static void send(ServerResponse res, int status, JsonObject body, Map<String, String> headers) {
        send(res, status, body.toString().getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Sends a body already serialized as JSON. */
    public static void send(ServerResponse res, int status, byte[] json, Map<String, String> headers) {
        res.status(Status.create(status));
        headers.forEach(res::header);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    public static void send(ServerResponse res, JsonObject body) {
        send(res, 200, body, Map.of());
    }
}

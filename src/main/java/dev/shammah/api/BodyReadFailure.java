package dev.shammah.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;

/**
 * Why a request body could not be read, as the status a client (if still there) should see: the client went
 * away or cut its upload (499: nobody is reading, nothing of ours failed — no trace, no 500 in /metrics), it
 * stopped sending within {@code server.read-timeout} (408), its chunk sizes passed the HTTP layer's payload limit
 * ({@link JsonBodies#drainLimit}, 413), or its chunked framing was malformed (400). A chunk
 * extension ({@code 1a;name=value}) is valid HTTP/1.1, but the HTTP layer does not parse it: it is refused with
 * a clear 400.
 */
final class BodyReadFailure {
    private BodyReadFailure() {
    }

    /**
     * @param maxBytes {@code server.max-body-bytes}, named in the 413: a chunk size past the HTTP layer's payload
     *                 limit is refused as soon as it is read, before a byte of that chunk is waited for
     */
    static ShammahException of(Throwable e, long maxBytes) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RequestException r && r.status().code() == 413) {
                return JsonBodies.tooLarge(maxBytes);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof SocketTimeoutException) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof SocketTimeoutException) {
            return new ShammahException(ErrorType.REQUEST_TIMEOUT, "The request body stopped arriving before its end "
                    + "(server.read-timeout)", e);
        }
        if (root instanceof NumberFormatException || root instanceof IllegalArgumentException) {
            return ShammahException.invalid("Malformed chunked request body: each chunk size must be a hexadecimal "
                    + "number (chunk extensions are not supported)");
        }
        if (root instanceof DataReader.InsufficientDataAvailableException || root instanceof IOException
                || e instanceof UncheckedIOException) {
            return new ShammahException(ErrorType.CLIENT_CLOSED, "The client closed the connection before sending "
                    + "the whole request body", e);
        }
        return ShammahException.invalid("The request body could not be read");
    }
}

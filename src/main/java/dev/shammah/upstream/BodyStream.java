package dev.shammah.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;

/**
 * The upstream's response body. HTTP/1.1 allows a body with neither a content-length nor chunking, ended by
 * closing the connection (HTTP/1.0-style proxies send that); Helidon's client then throws
 * {@code InsufficientDataAvailableException} at the end instead of returning end-of-stream. For such a body, and
 * only for it, that end is the end. A body that announced its length or chunking and stopped early is still an
 * error: it was cut.
 */
final class BodyStream extends FilterInputStream {
    private final boolean closeDelimited;
    private boolean ended;

    private BodyStream(InputStream in, boolean closeDelimited) {
        super(in);
        this.closeDelimited = closeDelimited;
    }

    static InputStream of(HttpClientResponse response) {
        boolean framed = response.headers().contentLength().isPresent()
                || response.headers().first(HeaderNames.TRANSFER_ENCODING).map(v -> v.toLowerCase(Locale.ROOT)
                        .contains("chunked")).orElse(false);
        return new BodyStream(response.inputStream(), !framed);
    }

    @Override
    public int read() throws IOException {
        if (ended) {
            return -1;
        }
        try {
            return super.read();
        } catch (DataReader.InsufficientDataAvailableException e) {
            return end(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        try {
            return super.read(b, off, len);
        } catch (DataReader.InsufficientDataAvailableException e) {
            return end(e);
        }
    }

    private int end(RuntimeException e) throws IOException {
        if (!closeDelimited) {
            throw new IOException("the upstream closed the connection before the end of the answer", e);
        }
        ended = true;
        return -1;
    }
}

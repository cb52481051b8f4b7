package dev.shammah.upstream;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

import javax.net.ssl.SSLException;

import io.helidon.common.buffers.DataReader;

/**
 * A network failure described for a person reading an error message or a log line: what happened, not which
 * Java exception said so ("connection refused", not "java.net.ConnectException: null").
 */
public final class UpstreamWords {
    private UpstreamWords() {
    }

    public static String of(Throwable t) {
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof UnknownHostException) {
            return "unknown host " + (t.getMessage() == null ? "" : t.getMessage());
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (t instanceof SSLException) {
            return "TLS handshake failed";
        }
        if (t instanceof EOFException || t instanceof DataReader.InsufficientDataAvailableException) {
            return "the upstream closed the connection";
        }
        if (t instanceof UpstreamFailures.GarbledAnswer) {
            return "its answer arrived without a readable status line";
        }
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("reset")) {
            return "connection reset by the upstream";
        }
        if (m.contains("broken pipe") || m.contains("closed")) {
            return "the upstream closed the connection";
        }
        if (t instanceof SocketException) {
            return "network error";
        }
        return "the connection failed";
    }
}

package dev.shammah.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import dev.shammah.config.UpstreamSettings;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;

/**
 * What a failed upstream call is: which failures {@link ClaudeClient} retries (a refused or dropped connection, a
 * retryable status), and the words and status a client is told when it gives up — never a Java class name.
 */
final class UpstreamFailures {
    private final UpstreamSettings settings;

    UpstreamFailures(UpstreamSettings settings) {
        this.settings = settings;
    }

    /**
     * Helidon's WebClient reports a host it cannot resolve (a typo in upstream.base-url, a machine without DNS)
     * as a bare {@code IllegalArgumentException("Failed to get address for host …")}, with no
     * {@link UnknownHostException} behind it: turned into one, it is the "upstream unreachable" 529 like any
     * other connection failure, and counted by the circuit breaker the same way.
     */
    UnknownHostException unresolvedHost(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null
                    && t.getMessage().startsWith("Failed to get address for host")) {
                // No cause attached: the failure is worded from the deepest cause, and this is it.
                return new UnknownHostException(settings.baseUrl().getHost());
            }
        }
        return null;
    }

    static boolean garbledStatusLine(IllegalStateException e) {
        String m = e.getMessage();
        return m != null && m.contains("status line");
    }

    /** An answer whose status line could not be read; {@link UpstreamWords} says so in words. */
    static final class GarbledAnswer extends IOException {
        GarbledAnswer(Throwable cause) {
            super("the upstream's answer arrived without a readable status line", cause);
        }
    }

    ShammahException timeout(Throwable cause) {
        return new ShammahException(ErrorType.GATEWAY_TIMEOUT, "Upstream " + settings.baseUrl() + " did not answer "
                + "within " + settings.timeout().toMillis() + " ms (upstream.timeout)", cause);
    }

    /**
     * A failure before any response byte is transient (retried): a refused connection, and also a pooled
     * connection the upstream closed while it sat idle, or a reset — the upstream did not answer that request. A
     * timeout is not (we already waited the whole budget), nor is an unknown host.
     */
    RuntimeException connectionFailure(RuntimeException e) {
        Throwable root = rootCause(e);
        if (root instanceof SocketTimeoutException || root instanceof UnknownHostException) {
            return failure(e);
        }
        return new UnreachableAfterRetries(e);
    }

    /** What went wrong, in words a client can show: never a Java class name. */
    ShammahException failure(Throwable e) {
        Throwable root = rootCause(e);
        String where = settings.baseUrl().toString();
        if (root instanceof SocketTimeoutException) {
            return timeout(e);
        }
        if (root instanceof ConnectException || root instanceof UnknownHostException
                || root instanceof NoRouteToHostException) {
            return new ShammahException(ErrorType.OVERLOADED, "Upstream " + where + " is unreachable ("
                    + UpstreamWords.of(root) + "); check upstream.base-url and the network", e);
        }
        return new ShammahException(ErrorType.OVERLOADED, "Upstream " + where + " connection failed ("
                + UpstreamWords.of(root) + ")", e);
    }

    static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r && !(r instanceof GarbledAnswer)) {
            r = r.getCause();
        }
        return r;
    }

    /** Marker for failures Helidon's {@link Retry} should retry. */
    abstract static class Transient extends RuntimeException {
        Transient(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** A retryable status; if retries run out, {@link #reply} is what the client gets. */
    static final class RefusedAfterRetries extends Transient {
        final transient UpstreamReply reply;

        RefusedAfterRetries(UpstreamReply reply) {
            super("upstream answered " + reply.status(), null);
            this.reply = reply;
        }
    }

    /** A refused connection; if retries run out it becomes a 529. */
    static final class UnreachableAfterRetries extends Transient {
        UnreachableAfterRetries(Throwable cause) {
            super("upstream unreachable", cause);
        }
    }
}

package dev.shammah.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.shammah.errors.ErrorType;
import dev.shammah.upstream.DeadlineTimers;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code server.read-timeout} for a request body. The HTTP layer waits for a body as long as the client keeps the
 * connection open — a {@code content-length} larger than what was sent, a chunked body cut mid-chunk. When no byte
 * has arrived for the timeout, the client is answered 408 (an Anthropic error) and the reading thread is
 * interrupted, which closes the connection: the request cannot be finished, and its bytes cannot be trusted to
 * frame the next one.
 */
final class BodyDeadline {
    /**
     * One timer for every body read. Remove-on-cancel matters: each read cancels and re-arms its timer, and a
     * cancelled task left in the queue until its delay ran out made the heap grow with the request rate.
     */
    private static final DeadlineTimers TIMER = DeadlineTimers.create("shammah-body-deadline");

    /** Timers waiting to fire; tests check that bodies read in time leave none behind. */
    static int pending() {
        return TIMER.pending();
    }

    private final Duration timeout;
    private final ServerRequest req;
    private final ServerResponse res;
    private final Thread reader = Thread.currentThread();
    /** Claimed by whoever ends the read first: the reader (done) or the timer (expired). */
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile boolean expired;
    private volatile ScheduledFuture<?> timer;

    private BodyDeadline(Duration timeout, ServerRequest req, ServerResponse res) {
        this.timeout = timeout;
        this.req = req;
        this.res = res;
    }

    static BodyDeadline start(Duration timeout, ServerRequest req, ServerResponse res) {
        return new BodyDeadline(timeout, req, res);
    }

    /** Starts the silence timer for a read that may wait for the client. */
    private void arm() {
        if (!settled.get()) {
            timer = TIMER.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void expire() {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        expired = true;
        try {
            ErrorResponses.send(req, res, ErrorType.REQUEST_TIMEOUT, "The request body stopped arriving before its "
                    + "end (server.read-timeout: " + timeout.toMillis() + " ms without a byte)");
        } catch (RuntimeException e) {
            // the client may be gone as well
        }
        reader.interrupt();
    }

    /**
     * Reads up to {@code max} bytes of a body that declared {@code declared} bytes (-1: none); every read that has
     * to wait for the client is timed from its start. A read that finds bytes already buffered, or the end that a
     * declared length frames, returns at once and is not timed: a small body arrives whole with its headers, and
     * arming and cancelling a shared timer for it cost more than reading it. The read buffer is sized to the declared
     * length (one byte more, to see the end): zeroing a 64 KB buffer for every small request cost more than that too.
     */
    byte[] readUpTo(InputStream in, int max, long declared) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared >= 0 ? (int) Math.min(max, declared) : 256);
        byte[] buf = new byte[(int) Math.min(64 * 1024, declared >= 0 ? declared + 1 : 8 * 1024)];
        while (out.size() < max) {
            int n = read(in, buf, Math.min(buf.length, max - out.size()), declared >= 0 && out.size() >= declared);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads the rest of a body and throws it away, each wait for the client timed as in {@link #readUpTo}. */
    void discard(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        do {
            n = read(in, buf, buf.length, false);
        } while (n >= 0);
    }

    /**
     * One read of at most {@code len} bytes, timed when it may wait for the client: not when bytes are already
     * buffered, nor at the {@code end} a declared length frames.
     */
    private int read(InputStream in, byte[] buf, int len, boolean end) throws IOException {
        boolean timed = !end && in.available() <= 0;
        if (timed) {
            arm();
        }
        try {
            return in.read(buf, 0, len);
        } finally {
            if (timed) {
                disarm();
            }
        }
    }

    boolean expired() {
        return expired;
    }

    /** The read ended (either way): the timer no longer applies. */
    void finish() {
        if (settled.compareAndSet(false, true)) {
            disarm();
        } else if (expired) {
            // Clear the interrupt we caused, so later work on this thread is not cut short.
            Thread.interrupted();
        }
    }
}

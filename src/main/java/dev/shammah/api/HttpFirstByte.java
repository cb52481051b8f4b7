package dev.shammah.api;

import java.time.Duration;
import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * The HTTP/1.1 connection, except that a connection whose first byte cannot begin a request is closed at once:
 * a TLS ClientHello sent to the plain port, a binary protocol, noise. A request starts with its method, a token
 * (RFC 9110: letters, digits and a few marks); anything else would be read as a request line that never ends,
 * and the peer would wait {@code server.read-timeout} for the idle check to close it. There is nothing to send
 * back: a peer that does not speak HTTP could not read an HTTP error.
 *
 * <p>It wraps the HTTP/1.1 selector rather than sitting beside it because, with a single protocol, the server
 * hands every connection to it without looking at any bytes — the check has to happen inside the connection.
 */
public final class HttpFirstByte implements ServerConnectionSelector {
    private static final String TOKEN_MARKS = "!#$%&'*+-.^_`|~";

    private final ServerConnectionSelector http1;

    public HttpFirstByte(ServerConnectionSelector http1) {
        this.http1 = http1;
    }

    static boolean startsToken(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || (b > 0 && b < 128 && TOKEN_MARKS.indexOf(b) >= 0);
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return http1.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new Checked(ctx.dataReader(), http1.connection(ctx));
    }

    private static final class Checked implements ServerConnection, InterruptableTask<Void> {
        private final DataReader reader;
        private final ServerConnection delegate;
        /** The connection's thread while it waits for the first byte: an idle close or a shutdown interrupts it. */
        private volatile Thread waiting;

        Checked(DataReader reader, ServerConnection delegate) {
            this.reader = reader;
            this.delegate = delegate;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            int first;
            waiting = Thread.currentThread();
            try {
                reader.ensureAvailable();
                first = reader.lookup() & 0xff;
            } catch (RuntimeException closedOrInterrupted) {
                return; // nothing arrived: returning closes the socket
            } finally {
                waiting = null;
            }
            if (startsToken(first)) {
                delegate.handle(limit);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            Thread t = waiting;
            if (t != null) {
                t.interrupt();
            }
            delegate.close(interrupt);
        }

        @Override
        public boolean canInterrupt() {
            return waiting != null || !(delegate instanceof InterruptableTask<?> task) || task.canInterrupt();
        }
    }
}

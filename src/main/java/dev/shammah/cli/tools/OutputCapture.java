package dev.shammah.cli.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a process writes to one stream, read on a thread of its own up to a cap, so that the caller can stop
 * waiting for the end of the stream. A command's background child ({@code server &}) inherits the pipe and keeps
 * it open after the command has exited; waiting for its end would wait for the child.
 */
final class OutputCapture {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int maxBytes;
    private final Thread reader;

    OutputCapture(InputStream in, int maxBytes, String name) {
        this.maxBytes = maxBytes;
        // A platform daemon thread: one left blocked on a pipe a background child holds never keeps the JVM up.
        this.reader = Thread.ofPlatform().daemon().name(name).start(() -> pump(in));
    }

    private void pump(InputStream in) {
        byte[] buffer = new byte[8192];
        // Past the cap the stream is closed: the writer gets EPIPE instead of blocking on a full pipe.
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (bytes) {
                    bytes.write(buffer, 0, Math.min(n, maxBytes - bytes.size()));
                    if (bytes.size() >= maxBytes) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // closed under us: what was read is the output
        }
    }

    /** Waits at most {@code wait} for the stream to end; false if it is still open. */
    boolean awaitEnd(Duration wait) throws InterruptedException {
        return reader.join(wait);
    }

    /** What was read so far. */
    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}

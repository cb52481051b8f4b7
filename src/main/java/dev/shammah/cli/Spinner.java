package dev.shammah.cli;

import java.io.PrintWriter;
import java.util.Locale;

import org.jline.terminal.Terminal;

/** A one-line status while waiting for the first token: spinner, route, elapsed time. Real terminals only. */
final class Spinner {
    private static final char[] FRAMES = {'⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'};

    private final PrintWriter out;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile String label = "waiting";
    private volatile boolean running = true;

    private Spinner(Terminal terminal) {
        this.out = terminal.writer();
        this.thread = Thread.ofVirtual().start(this::spin);
    }

    static Spinner start(Terminal terminal) {
        return new Spinner(terminal);
    }

    void label(String label) {
        this.label = label;
    }

    private void spin() {
        int i = 0;
        while (running) {
            synchronized (out) {
                if (running) {
                    out.print(String.format(Locale.ROOT, "\r%c %s %.1fs", FRAMES[i++ % FRAMES.length], label,
                            (System.nanoTime() - start) / 1e9));
                    out.flush();
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops and clears the status line (idempotent). */
    void stop() {
        if (!running) {
            return;
        }
        running = false;
        thread.interrupt();
        synchronized (out) {
            out.print("\r\u001b[K");
            out.flush();
        }
    }
}

package dev.shammah;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * SIGTERM and SIGINT for the daemon. The JVM's default turns them into shutdown hooks and exit status 143/130,
 * which systemd reports as a failure; handling them ourselves lets a drained stop exit 0.
 */
final class Signals {
    private static final Logger LOG = Logger.getLogger(Signals.class.getName());

    private Signals() {
    }

    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                // sun.misc.Signal (jdk.unsupported) is the JDK's only way to handle a signal; nothing else is used.
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> Thread.ofPlatform().name("shammah-" + name
                        .toLowerCase(Locale.ROOT)).start(action));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.fine(() -> "SIG" + name + " cannot be handled here; the JVM's default applies");
            }
        }
    }
}

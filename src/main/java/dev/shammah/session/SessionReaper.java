package dev.shammah.session;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Expires idle sessions on a fixed schedule. */
public final class SessionReaper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionReaper.class.getName());

    private final ScheduledExecutorService scheduler;

    public SessionReaper(Sessions store, Duration interval) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shammah-session-reaper");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            // An exception would silently cancel every later run of a scheduled task; log and carry on.
            try {
                int n = store.expireIdle();
                if (n > 0) {
                    LOG.fine(() -> "Expired " + n + " idle session(s)");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Session reaper run failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

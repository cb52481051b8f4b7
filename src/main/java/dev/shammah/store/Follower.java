package dev.shammah.store;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.config.ConfigException;

/**
 * Keeps this instance's copies — the memory the router looks exchanges up in, and the evidence it decides by —
 * following the shared store, on one thread of its own. It listens on {@value Changes#CHANNEL} and, when told (or
 * every {@code store.poll-interval}, should a notification be lost), reads everything numbered above the highest
 * change it has applied, in one snapshot, and applies it in number order ({@link Changes} explains why that misses
 * nothing). The first catch-up reads the whole store: the local memory is rebuilt from the table at every start.
 * What to read, and whether the store is still the one followed, is {@link Position}'s; the connection, the rounds
 * and the outages are this class's.
 *
 * <p>Notifications say which tables changed and arrive in change order, so a round woken by one reads only those:
 * every change numbered below the newest one announced was announced before it, and read by this round or an
 * earlier one. (This instance's own changes are never announced to itself; it applied them as it made them.) A poll
 * without notification reads everything.
 *
 * <p>It is {@linkplain #current() current} once it has caught up and for as long as it reaches the store; while it
 * cannot, the router forwards everything (a verdict against a stored answer may have been recorded by an instance
 * it cannot hear), and when the store is back it writes what waited, runs the reconnection hooks, catches up, and
 * local answers resume.
 */
final class Follower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Follower.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration SCHEMA_RETRY = Duration.ofSeconds(30);

    private final Database db;
    private final Changes changes;
    private final EvidenceOutbox outbox;
    private final LocalCopies copies;
    private final List<Runnable> onReconnect = new CopyOnWriteArrayList<>();
    private final List<Runnable> eachRound = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Object wake = new Object();
    /** Only the follower's thread uses it, and {@link ListenConnection#catchUp}. */
    private final Position position;

    private volatile boolean closed;
    private volatile boolean current;
    private volatile boolean reachable;
    private volatile boolean schemaChecked;
    private volatile String problem = "not connected to the store yet";
    /** An outage is logged once, not once per retry: set when it is, cleared when the store is back. */
    private volatile boolean warned;
    private volatile Instant caughtUpAt;
    private final ListenConnection listen;

    /**
     * @param unreachable why the store could not be reached at start, or null when it could (its schema then
     *                    checked)
     */
    Follower(Changes changes, LocalCopies copies, EvidenceOutbox outbox, String unreachable) {
        this.db = changes.db();
        this.changes = changes;
        this.outbox = outbox;
        this.copies = copies;
        this.position = new Position(copies, changes);
        this.listen = new ListenConnection(changes);
        this.schemaChecked = unreachable == null;
        if (unreachable != null) {
            // Said already, by the start-up that found it.
            this.problem = "store unreachable: " + unreachable;
            this.warned = true;
        }
        this.thread = new Thread(this::run, "shammah-store-follower");
        thread.setDaemon(true);
    }

    /** Run after each (re)connection, before local answers resume. */
    void onReconnect(Runnable hook) {
        onReconnect.add(hook);
    }

    /** Run at every round that reaches the store: what waited for it is written then. */
    void eachRound(Runnable hook) {
        eachRound.add(hook);
    }

    /** Starts following, and waits at most {@code wait} for the first catch-up (the whole store). */
    void start(Duration wait) {
        thread.start();
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (wake) {
            while (!current && !closed && System.nanoTime() < deadline) {
                try {
                    wake.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    boolean current() {
        return current;
    }

    /** Whether the last attempt to reach the store succeeded (it may still be catching up). */
    boolean reachable() {
        return reachable;
    }

    /** Why it is not current; null when it is. */
    String problem() {
        return problem;
    }

    /** When it last caught up; null before the first time. */
    Instant caughtUpAt() {
        return caughtUpAt;
    }

    /** From "stored by another instance" to "applied here", for the newest exchange applied. */
    Duration lastLag() {
        return copies.lastLag();
    }

    long applied() {
        return copies.applied();
    }

    /** Another user of the store failed to reach it: stop answering locally now, rather than at the next poll. */
    void failed(Throwable e) {
        warnOnce(Database.describe(e));
        current = false;
        reachable = false;
        problem = "store unreachable: " + Database.describe(e);
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        Announced changed = Announced.ALL;
        while (!closed) {
            try {
                if (!schemaChecked) {
                    Schema.check(db.dataSource(), db.settings().url());
                    schemaChecked = true;
                }
                boolean connected = !listen.isOpen();
                if (connected) {
                    listen.open();
                }
                reachable = true;
                outbox.flush(changes);
                if (!current) {
                    onReconnect.forEach(Runnable::run);
                }
                eachRound.forEach(Runnable::run);
                listen.catchUp(position, connected, connected ? Announced.ALL : changed);
                if (!current) {
                    LOG.info(caughtUpAt == null ? "Following the shared store (" + copies.applied()
                            + " changes loaded)" : "The shared store is back; local answers resume");
                }
                caughtUpAt = Instant.now();
                problem = null;
                warned = false;
                // Both again: another thread may have reported a failure while this round went well.
                reachable = true;
                current = true;
                synchronized (wake) {
                    wake.notifyAll();
                }
                backoff = Duration.ofMillis(100);
                changed = listen.awaitChange(() -> closed);
            } catch (ConfigException e) {
                lost(e.getMessage(), e);
                pause(SCHEMA_RETRY);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                lost("store unreachable: " + Database.describe(e), e);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        listen.close();
    }

    private void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warning("Shared store: " + why + "; forwarding every request until it is back");
        }
    }

    private void lost(String why, Throwable e) {
        warnOnce(why);
        LOG.log(Level.FINE, "shared store failure: " + why, e);
        current = false;
        reachable = false;
        problem = why;
        listen.close();
    }

    private void pause(Duration d) {
        synchronized (wake) {
            if (!closed) {
                try {
                    wake.wait(Math.max(1, d.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        current = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        listen.abort();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

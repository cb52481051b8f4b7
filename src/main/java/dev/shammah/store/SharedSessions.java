package dev.shammah.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.session.SessionIds;
import dev.shammah.session.SessionLease;
import dev.shammah.session.SessionListener;
import dev.shammah.session.SessionSnapshot;
import dev.shammah.session.Sessions;

/**
 * Sessions every instance sees ({@code store.kind: postgres}): a turn started on one instance continues on
 * another. The rules are those of the in-process store — namespaced by owner, one turn at a time (a second waits,
 * then 409), stored only once answered, 404 for one that expired or was evicted — kept in the database: a turn
 * holds its row ({@link SessionRows}), and the limits are enforced by {@link SessionLimits} shortly after new
 * sessions arrive and at every reaper run, by whichever instance gets there first.
 *
 * <p>While the database is out of reach no request fails for want of it: a session started then is kept by this
 * instance ({@link KeptSessions}) and written to the database when it is back; a turn of a session the database
 * holds waits up to {@code store.outage-wait} for it and is then refused with 503 — answering from a history that
 * may be stale would be worse.
 */
final class SharedSessions implements Sessions {
    private final Database db;
    private final String instance;
    private final Follower follower;
    private final Duration turnWait;
    private final Duration hold;
    private final Duration outageWait;
    private final Clock clock;
    private final SessionListener listener;
    private final KeptSessions kept;
    private final AtomicLong turns = new AtomicLong();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final SessionLimits limits;
    private volatile int lastSize;
    private volatile long sizedAt = System.nanoTime() - 2_000_000_000L;

    SharedSessions(Database db, String instance, Follower follower, int maxSessions, int maxPerClient,
                   Duration idleTimeout, Duration turnWait, Duration outageWait, Clock clock, SessionListener listener) {
        this.db = db;
        this.instance = instance;
        this.follower = follower;
        this.turnWait = turnWait;
        // A turn cannot take longer than the upstream may; past that its hold lapses even if its instance lives.
        this.hold = turnWait.plusSeconds(60);
        this.outageWait = outageWait;
        this.clock = clock;
        this.listener = listener;
        this.kept = new KeptSessions(db, follower::reachable, maxSessions);
        this.limits = new SessionLimits(db, maxSessions, maxPerClient, idleTimeout, clock, listener);
        follower.onReconnect(this::releaseHolds);
        follower.eachRound(kept::writeBack);
    }

    private static String owner(String owner) {
        return owner == null ? "" : owner;
    }

    @Override
    public SessionLease open(String id, String owner, String client) {
        String o = owner(owner);
        if (id == null) {
            return new SharedLease(this, SharedLease.Kind.IMPLICIT, o, SessionIds.newId(), client, null, List.of(), 0,
                    0, clock.instant());
        }
        SessionIds.check(id);
        long start = System.nanoTime();
        long backoff = 10;
        String holder = instance + "/" + turns.incrementAndGet();
        while (true) {
            KeptSessions.Turn local = kept.open(o, id, turnWait, clock.instant());
            if (local != null) {
                return new SharedLease(this, local);
            }
            long waited = System.nanoTime() - start;
            try (Connection c = db.connection()) {
                Instant now = clock.instant();
                Optional<SessionRows.Held> held = SessionRows.claim(c, o, id, holder, instance, hold, now);
                if (held.isPresent()) {
                    SessionRows.Held h = held.get();
                    return new SharedLease(this, h.pending() ? SharedLease.Kind.RESERVED : SharedLease.Kind.HELD, o, id,
                            client, holder, h.history(), h.bytes(), h.turns(), now);
                }
                if (!SessionRows.exists(c, o, id)) {
                    Optional<Instant> gone = SessionRows.gone(c, o, id);
                    if (gone.isPresent()) {
                        throw SessionIds.gone(id, gone.get());
                    }
                    // An id an instance handed out that the store does not hold may be a session kept by that
                    // instance through an outage, or one its writer has not written yet: give it the time an outage
                    // is given. After that it is gone — never started again empty under the same id.
                    if (SessionIds.issued(id)) {
                        if (waited >= outageWait.toNanos()) {
                            throw SessionIds.unknown(id);
                        }
                    } else {
                        if (SessionRows.reserve(c, o, id, client, holder, instance, hold, now)) {
                            return new SharedLease(this, SharedLease.Kind.RESERVED, o, id, client, holder, List.of(), 0,
                                    0, now);
                        }
                        continue;
                    }
                } else if (waited > turnWait.toNanos()) {
                    throw SessionIds.busy(id);
                }
            } catch (SQLException e) {
                follower.failed(e);
                if (waited > outageWait.toNanos()) {
                    throw new ShammahException(ErrorType.UNAVAILABLE, "session_id: the shared session store "
                            + "(store.url) is out of reach, so session '" + id + "' cannot be continued safely; retry "
                            + "when it is back (sessions started meanwhile are kept)");
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SessionIds.interrupted(id);
            }
            backoff = Math.min(200, backoff * 2);
        }
    }

    Database db() {
        return db;
    }

    KeptSessions kept() {
        return kept;
    }

    Follower follower() {
        return follower;
    }

    Clock clock() {
        return clock;
    }

    /** A turn holds a row: its hold is released after an outage only once the turn is over. */
    void holding(String holder) {
        inFlight.add(holder);
    }

    void released(String holder) {
        inFlight.remove(holder);
    }

    /** A new session was stored: it counts now, and against the limits shortly (once for a burst). */
    void created(String id, String client) {
        listener.created(id);
        limits.created(client);
    }

    @Override
    public Optional<SessionSnapshot> find(String id, String owner) {
        if (id == null) {
            return Optional.empty();
        }
        Optional<SessionSnapshot> local = kept.snapshot(owner(owner), id);
        return local.isPresent() ? local : query(c -> SessionRows.snapshot(c, owner(owner), id));
    }

    @Override
    public boolean gone(String id, String owner) {
        if (id == null) {
            return false;
        }
        try {
            return query(c -> SessionRows.gone(c, owner(owner), id).isPresent());
        } catch (ShammahException e) {
            return false;
        }
    }

    @Override
    public boolean delete(String id, String owner) {
        boolean local = kept.delete(owner(owner), id);
        boolean deleted = query(c -> SessionRows.delete(c, owner(owner), id)) || local;
        if (deleted) {
            listener.deleted(id);
        }
        return deleted;
    }

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs a query, once more on a second connection if the first fails (right after the database restarts, the
     * pool may hand out a connection that died with it); 503 if that fails too.
     */
    private <T> T query(Query<T> q) {
        if (!follower.reachable()) {
            // Known to be away: say so at once rather than wait for a connection that will not come.
            throw unreachable();
        }
        SQLException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Connection c = db.connection()) {
                return q.run(c);
            } catch (SQLException e) {
                last = e;
            }
        }
        follower.failed(last);
        throw unreachable();
    }

    private static ShammahException unreachable() {
        return new ShammahException(ErrorType.UNAVAILABLE, "The shared session store (store.url) is out of reach; "
                + "retry when it is back");
    }

    /**
     * Sessions in the store and kept here: counted at most once a second (health checks and metrics scrapes ask
     * often), and not at all while the store is out of reach — the last count stands, rather than a probe that waits
     * for a connection.
     */
    @Override
    public int size() {
        long now = System.nanoTime();
        if (follower.reachable() && now - sizedAt > 1_000_000_000L) {
            try (Connection c = db.connection(); var s = c.createStatement();
                 var r = s.executeQuery("select count(*) from sessions where not pending")) {
                r.next();
                lastSize = r.getInt(1);
                sizedAt = now;
            } catch (SQLException e) {
                follower.failed(e);
            }
        }
        return lastSize + kept.size();
    }

    @Override
    public int expireIdle() {
        return limits.expireIdle();
    }

    /** The store is back: holds this instance could not release while it was away are released now. */
    private void releaseHolds() {
        try (Connection c = db.connection()) {
            SessionRows.releaseAllBut(c, instance, List.copyOf(inFlight));
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot release session holds: " + Database.describe(e), e);
        }
    }

    void close() {
        limits.close();
        kept.close();
    }

    /** Sessions this instance keeps until the store is back. */
    int keptHere() {
        return kept.size();
    }
}

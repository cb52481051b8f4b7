package dev.shammah.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import jakarta.json.JsonObject;

/**
 * Sessions, namespaced by owner: two clients' sessions never share an id, so no client can take an id first and
 * lock another out, and another client's session looks like no session at all (404).
 *
 * <p>No client can exhaust the store. A turn's session is only stored once the turn is answered (a refused
 * request leaves nothing behind). When the store is full the least recently active session that has no turn in
 * flight makes room (sessions nobody asked for again first); a client past {@code server.max-sessions-per-client} makes room from its own sessions first,
 * so made-up ids crowd out only their maker. A session that expired or was evicted is remembered as such (a
 * bounded list): a client coming back to it gets 404 "expired", never a silently empty conversation.
 */
public final class SessionStore implements Sessions {
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** Client-named sessions whose first turn is in flight: a second first turn waits for it, as any turn does. */
    private final Map<String, Session> pending = new ConcurrentHashMap<>();
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
    private final GoneSessions gone;
    private final ReentrantLock admit = new ReentrantLock();
    /**
     * Implicit sessions in the order they were stored, guarded by {@link #admit}: the order eviction wants them in
     * without a scan of the store per request (an implicit session's last activity is its one turn, so the order
     * stored is the order of last activity). One that was named since, or is gone, is dropped when met.
     */
    private final ArrayDeque<Session> implicitOrder = new ArrayDeque<>();
    private final int maxSessions;
    private final int maxPerClient;
    private final Duration idleTimeout;
    private final Clock clock;
    private final SessionListener listener;
    private final long turnWaitMillis;

    public SessionStore(int maxSessions, int maxPerClient, Duration idleTimeout, Duration turnWait, Clock clock,
                        SessionListener listener) {
        this.maxSessions = maxSessions;
        this.maxPerClient = maxPerClient;
        this.idleTimeout = idleTimeout;
        this.turnWaitMillis = turnWait.toMillis();
        this.clock = clock;
        this.listener = listener;
        this.gone = new GoneSessions(maxSessions);
    }

    /** A store for tests and tools: no per-client limit below the global one; turns wait up to 30 s. */
    public SessionStore(int maxSessions, Duration idleTimeout, Clock clock, SessionListener listener) {
        this(maxSessions, Math.max(1, maxSessions), idleTimeout, Duration.ofSeconds(30), clock, listener);
    }

    private static String key(String owner, String id) {
        return (owner == null ? "" : owner) + '\u0000' + id;
    }

    @Override
    public Lease open(String id, String owner, String client) {
        if (id == null) {
            return new Lease(new Session(SessionIds.newId(), owner, client, clock.instant()), true);
        }
        SessionIds.check(id);
        String key = key(owner, id);
        Session existing = sessions.get(key);
        boolean fresh = false;
        if (existing == null) {
            Instant when = gone.when(key);
            if (when != null) {
                throw SessionIds.gone(id, when);
            }
            if (SessionIds.issued(id)) {
                throw SessionIds.unknown(id);
            }
            existing = pending.computeIfAbsent(key, k -> new Session(id, owner, client, clock.instant()));
            fresh = true;
        }
        try {
            if (!existing.beginTurn(turnWaitMillis)) {
                throw SessionIds.busy(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SessionIds.interrupted(id);
        }
        existing.named();
        Session now = sessions.get(key);
        if (now == existing) {
            existing.touch(clock.instant());
            return new Lease(existing, false);
        }
        if (fresh && pending.get(key) == existing) {
            return new Lease(existing, true);
        }
        // Expired, evicted, stored or abandoned while we waited: look again.
        existing.endTurn();
        return open(id, owner, client);
    }

    /** One turn's hold on its session. */
    public final class Lease implements SessionLease {
        private Session session;
        private boolean fresh;

        Lease(Session session, boolean fresh) {
            this.session = session;
            this.fresh = fresh;
        }

        @Override
        public String id() {
            return session.id();
        }

        @Override
        public List<JsonObject> history() {
            return session.history();
        }

        @Override
        public long historyBytes() {
            return session.bytes();
        }

        /** Records the answered turn, storing a new session now (making room if the store is full). */
        @Override
        public void record(List<JsonObject> added, JsonObject assistant, long input, long output) {
            if (fresh) {
                session = admitNew(session);
                fresh = false;
            }
            session.append(added, assistant, input, output, clock.instant());
        }

        @Override
        public void close() {
            if (fresh) {
                // Its first turn was not answered: nothing of it is kept.
                pending.remove(key(session.owner(), session.id()), session);
            }
            session.endTurn();
        }
    }

    /** Stores a new session, making room first; returns the session the turn is to be recorded in. */
    private Session admitNew(Session s) {
        admit.lock();
        try {
            String key = key(s.owner(), s.id());
            Session raced = sessions.get(key);
            if (raced != null) {
                // Two first turns of one client-named session: both land in the one that was stored first.
                return raced;
            }
            if (perClient.getOrDefault(s.client(), 0) >= maxPerClient) {
                evictLeastRecent(s.client());
            }
            if (sessions.size() >= maxSessions && !evictLeastRecent(null)) {
                throw new ShammahException(ErrorType.RATE_LIMIT, "Every one of the " + maxSessions
                        + " sessions (server.max-sessions) has a turn in progress; retry shortly");
            }
            if (!s.busy()) {
                s.claimTurn();
            }
            sessions.put(key, s);
            if (s.implicit()) {
                implicitOrder.addLast(s);
                if (implicitOrder.size() > 2 * maxSessions + 16) {
                    // Sessions that left by expiry or deletion are dropped here, so the queue stays bounded.
                    implicitOrder.removeIf(this::notHeldImplicit);
                }
            }
            pending.remove(key, s);
            perClient.merge(s.client(), 1, Integer::sum);
            gone.remove(key);
            listener.created(s.id());
            return s;
        } finally {
            admit.unlock();
        }
    }

    /**
     * Removes a session (of {@code client}, or of anyone) with no turn in flight: the least recently active
     * implicit one, else the least recently active of all. Implicit sessions go first so that one user's SDK
     * scripts and Claude Code (all one client, their address, with auth off) never push out the REPL's
     * conversation.
     */
    private boolean evictLeastRecent(String client) {
        Session oldest = oldestImplicit(client);
        if (oldest == null) {
            for (Session s : sessions.values()) {
                if ((client == null || client.equals(s.client())) && !s.busy() && (oldest == null
                        || (s.implicit() && !oldest.implicit())
                        || (s.implicit() == oldest.implicit() && s.lastActivity().isBefore(oldest.lastActivity())))) {
                    oldest = s;
                }
            }
        }
        if (oldest != null && remove(oldest, true)) {
            listener.evicted(oldest.id());
            return true;
        }
        return false;
    }

    /** The least recently stored implicit session (of {@code client}, or of anyone) with no turn in flight. */
    private Session oldestImplicit(String client) {
        for (Iterator<Session> it = implicitOrder.iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (notHeldImplicit(s)) {
                it.remove();
            } else if (!s.busy() && (client == null || client.equals(s.client()))) {
                it.remove();
                return s;
            }
        }
        return null;
    }

    /** Implicit sessions in the eviction queue, the gone ones not yet dropped included (tests: it stays bounded). */
    int implicitQueued() {
        admit.lock();
        try {
            return implicitOrder.size();
        } finally {
            admit.unlock();
        }
    }

    private boolean notHeldImplicit(Session s) {
        return !s.implicit() || sessions.get(key(s.owner(), s.id())) != s;
    }

    private boolean remove(Session s, boolean remember) {
        String key = key(s.owner(), s.id());
        if (!sessions.remove(key, s)) {
            return false;
        }
        perClient.computeIfPresent(s.client(), (c, n) -> n <= 1 ? null : n - 1);
        if (remember) {
            gone.put(key, clock.instant());
        }
        return true;
    }

    /** The session if {@code owner} may see it; another owner's session is no session at all. */
    @Override
    public Optional<SessionSnapshot> find(String id, String owner) {
        return id == null ? Optional.empty() : Optional.ofNullable(sessions.get(key(owner, id))).map(Session::snapshot);
    }

    @Override
    public boolean gone(String id, String owner) {
        return id != null && gone.when(key(owner, id)) != null;
    }

    @Override
    public boolean delete(String id, String owner) {
        Session s = sessions.get(key(owner, id));
        if (s == null || !remove(s, false)) {
            return false;
        }
        listener.deleted(s.id());
        return true;
    }

    @Override
    public int expireIdle() {
        Instant cutoff = clock.instant().minus(idleTimeout);
        int expired = 0;
        for (Session session : sessions.values()) {
            if (session.lastActivity().isBefore(cutoff) && !session.busy() && remove(session, true)) {
                listener.expired(session.id());
                expired++;
            }
        }
        return expired;
    }

    @Override
    public int size() {
        return sessions.size();
    }
}

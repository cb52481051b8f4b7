package dev.shammah.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;

/**
 * Sessions by id. Lookups are lock-free; creation takes a small lock so the max-sessions limit holds
 * exactly under concurrent creates.
 *
 * <p>Two kinds of session share the limit. A session a client names (a {@code session_id} it sent, or a
 * server-made id it has come back with) is pinned: it goes only by expiry or deletion, and when pinned sessions
 * fill the store, creating another is a 429. A session made for a request without {@code session_id} is
 * implicit: most such clients (Claude Code, the SDKs) resend the whole conversation and never return the id,
 * so when the store is full the least recently active implicit session is evicted to make room. Without
 * that, a client that never uses sessions would be refused after max-sessions requests.
 */
public final class SessionStore {
    /** Client-chosen ids must stay printable and short: they end up in URLs, logs and headers. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ReentrantLock createLock = new ReentrantLock();
    private final int maxSessions;
    private final Duration idleTimeout;
    private final Clock clock;
    private final SessionListener listener;

    public SessionStore(int maxSessions, Duration idleTimeout, Clock clock, SessionListener listener) {
        this.maxSessions = maxSessions;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * The session with this id, created if absent; a fresh one with a random id when {@code id} is null.
     *
     * @throws ShammahException 400 for a malformed id, 429 when the store is full
     */
    public Session getOrCreate(String id) {
        return getOrCreate(id, null);
    }

    /**
     * As {@link #getOrCreate(String)}, for a client: another client's session is refused (403), and a new
     * session belongs to {@code owner}.
     */
    public Session getOrCreate(String id, String owner) {
        if (id != null) {
            if (!ID.matcher(id).matches()) {
                throw ShammahException.invalid("session_id: must be 1-128 characters of letters, digits, '_' or '-'");
            }
            Session existing = sessions.get(id);
            if (existing != null) {
                refuseForeign(existing, owner);
                existing.pin();
                existing.touch(clock.instant());
                return existing;
            }
        }
        createLock.lock();
        try {
            String newId = id == null ? newId() : id;
            Session raced = sessions.get(newId);
            if (raced != null) {
                refuseForeign(raced, owner);
                raced.pin();
                return raced;
            }
            if (sessions.size() >= maxSessions && !evictOneImplicit()) {
                throw new ShammahException(ErrorType.RATE_LIMIT, "Too many active sessions (limit "
                        + maxSessions + "). Reuse a session_id, delete finished sessions with "
                        + "DELETE /v1/session/{id}, or raise server.max-sessions.");
            }
            Session session = new Session(newId, clock.instant(), owner);
            if (id != null) {
                session.pin();
            }
            sessions.put(newId, session);
            listener.created(session);
            return session;
        } finally {
            createLock.unlock();
        }
    }

    /** Removes the least recently active implicit session; false if every session is pinned. */
    private boolean evictOneImplicit() {
        Session oldest = null;
        for (Session s : sessions.values()) {
            if (!s.pinned() && (oldest == null || s.lastActivity().isBefore(oldest.lastActivity()))) {
                oldest = s;
            }
        }
        if (oldest != null && sessions.remove(oldest.id(), oldest)) {
            listener.evicted(oldest);
            return true;
        }
        return false;
    }

    private static void refuseForeign(Session s, String owner) {
        if (!s.usableBy(owner)) {
            throw new ShammahException(ErrorType.PERMISSION, "session_id: this session belongs to another client");
        }
    }

    public Optional<Session> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** The session if {@code caller} may see it; another client's session looks like no session at all. */
    public Optional<Session> findFor(String id, String caller) {
        return find(id).filter(s -> s.usableBy(caller));
    }

    public boolean delete(String id) {
        return deleteFor(id, null);
    }

    /** Deletes the session if {@code caller} may use it. */
    public boolean deleteFor(String id, String caller) {
        Session s = sessions.get(id);
        if (s == null || !s.usableBy(caller)) {
            return false;
        }
        Session removed = sessions.remove(id) == s ? s : null;
        if (removed != null) {
            listener.deleted(removed);
        }
        return removed != null;
    }

    /** Drops sessions idle for longer than the timeout; returns how many went. */
    public int expireIdle() {
        Instant cutoff = clock.instant().minus(idleTimeout);
        int expired = 0;
        for (Session session : sessions.values()) {
            if (session.lastActivity().isBefore(cutoff) && sessions.remove(session.id(), session)) {
                listener.expired(session);
                expired++;
            }
        }
        return expired;
    }

    public int size() {
        return sessions.size();
    }

    /** 128 random bits: ids are bearer tokens for a conversation, so they must not be guessable. */
    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "sess_" + HexFormat.of().formatHex(bytes);
    }
}

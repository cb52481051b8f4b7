package dev.shammah.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.session.GoneSessions;
import dev.shammah.session.SessionListener;

/**
 * What keeps the shared {@code sessions} table bounded, run by whichever instance takes the lock first (the rest
 * skip that round): idle sessions expire, the least recently used beyond {@code server.max-sessions} and beyond
 * {@code server.max-sessions-per-client} are evicted (sessions nobody named first; never one whose turn is in
 * flight), and each is remembered in {@code sessions_gone} for its client's 404. New sessions are counted against
 * the limits shortly after they arrive (a burst is trimmed once); the reaper's run expires and evicts.
 */
final class SessionLimits implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionLimits.class.getName());
    /** How long a new or active session is spared eviction. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** New sessions are counted against the limits this soon after they arrive (a burst is trimmed once). */
    private static final Duration TRIM_DELAY = Duration.ofMillis(200);

    private final Database db;
    private final int maxSessions;
    private final int maxPerClient;
    private final Duration idleTimeout;
    private final Clock clock;
    private final SessionListener listener;
    private final Set<String> newClients = ConcurrentHashMap.newKeySet();
    private final Soon trimmer = new Soon("shammah-session-limits", TRIM_DELAY, this::trim);

    SessionLimits(Database db, int maxSessions, int maxPerClient, Duration idleTimeout, Clock clock,
                  SessionListener listener) {
        this.db = db;
        this.maxSessions = maxSessions;
        this.maxPerClient = maxPerClient;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        this.listener = listener;
    }

    /** A new session of {@code client} was stored: the limits are enforced shortly. */
    void created(String client) {
        newClients.add(client);
        trimmer.ask();
    }

    private void trim() {
        List<String> clients = new ArrayList<>(newClients);
        newClients.removeAll(clients);
        try (Connection c = db.connection()) {
            List<String> evicted = Locked.ifFree(c, Locked.SESSIONS, tx -> {
                Instant now = clock.instant();
                List<String> ids = new ArrayList<>();
                for (String client : clients) {
                    ids.addAll(evict(tx, client, maxPerClient, now));
                }
                ids.addAll(evict(tx, null, maxSessions, now));
                return ids;
            });
            if (evicted == null) {
                // Another instance is trimming or reaping: look again shortly.
                newClients.addAll(clients);
                trimmer.ask();
                return;
            }
            evicted.forEach(listener::evicted);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "enforcing session limits failed", e);
        }
    }

    /** The reaper's run: expires idle sessions and evicts beyond the limit; how many expired (0 if skipped). */
    int expireIdle() {
        Instant now = clock.instant();
        try (Connection c = db.connection()) {
            List<List<String>> out = Locked.ifFree(c, Locked.SESSIONS, tx -> List.of(
                    expire(tx, now.minus(idleTimeout), now, GoneSessions.remembered(maxSessions)),
                    evict(tx, null, maxSessions, now)));
            if (out == null) {
                return 0;
            }
            out.get(0).forEach(listener::expired);
            out.get(1).forEach(listener::evicted);
            return out.get(0).size();
        } catch (SQLException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        trimmer.close();
    }

    /** Expires sessions idle since {@code cutoff}, and first turns abandoned by their holder; returns their ids. */
    private static List<String> expire(Connection c, Instant cutoff, Instant now, int remembered) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from sessions where pending and (turn_expires < now() or "
                + Instances.dead("turn_instance") + ")")) {
            s.executeUpdate();
        }
        List<String> ids;
        try (PreparedStatement s = c.prepareStatement("with expired as (delete from sessions where last_activity < ? "
                + "and not pending and " + SessionRows.FREE + " returning owner, id), noted as (insert into "
                + "sessions_gone (owner, id, at) select owner, id, ? from expired on conflict (owner, id) do update set "
                + "at = excluded.at) select id from expired")) {
            s.setTimestamp(1, Timestamp.from(cutoff));
            s.setTimestamp(2, Timestamp.from(now));
            ids = ids(s);
        }
        // The record of what went is bounded too: the newest entries are kept.
        try (PreparedStatement s = c.prepareStatement("delete from sessions_gone where at < (select at from "
                + "sessions_gone order by at desc offset ? limit 1)")) {
            s.setInt(1, remembered);
            s.executeUpdate();
        }
        return ids;
    }

    private static List<String> ids(PreparedStatement s) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        return ids;
    }

    /**
     * Evicts the least recently used sessions beyond {@code max} — of one client, or of everyone when
     * {@code client} is null — sessions nobody named first; returns their ids. A session active in the last
     * {@link #GRACE} is spared: limits are enforced a moment after sessions arrive, and a conversation whose first
     * answer just went out must still be there for its next turn (one process admits a new session before it
     * evicts; this is the same order, a moment late).
     */
    private static List<String> evict(Connection c, String client, int max, Instant now) throws SQLException {
        String whose = client == null ? "" : " and client = ?";
        try (PreparedStatement s = c.prepareStatement("with victims as (select owner, id from sessions where not pending"
                + whose + " and last_activity < ? and " + SessionRows.FREE + " order by named, last_activity limit "
                + "greatest(0, (select count(*) "
                + "from sessions where not pending" + whose + ") - ?) for update skip locked), evicted as (delete from "
                + "sessions s using victims v where s.owner = v.owner and s.id = v.id returning s.owner, s.id), noted as "
                + "(insert into sessions_gone (owner, id, at) select owner, id, ? from evicted on conflict (owner, id) do "
                + "update set at = excluded.at) select id from evicted")) {
            int i = 1;
            if (client != null) {
                s.setString(i++, client);
            }
            s.setTimestamp(i++, Timestamp.from(now.minus(GRACE)));
            if (client != null) {
                s.setString(i++, client);
            }
            s.setInt(i++, max);
            s.setTimestamp(i, Timestamp.from(now));
            return ids(s);
        }
    }
}
